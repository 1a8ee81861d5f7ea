// Messages for the partnerships screens, in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const partnershipsEn = {} as const;

export const partnershipsHe: Translation<typeof partnershipsEn> = {};

export const partnershipsAr: Translation<typeof partnershipsEn> = {};

export const partnershipsRu: Translation<typeof partnershipsEn> = {};
