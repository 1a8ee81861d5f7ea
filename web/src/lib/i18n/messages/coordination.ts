// Messages for the coordination screens, in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const coordinationEn = {} as const;

export const coordinationHe: Translation<typeof coordinationEn> = {};

export const coordinationAr: Translation<typeof coordinationEn> = {};

export const coordinationRu: Translation<typeof coordinationEn> = {};
