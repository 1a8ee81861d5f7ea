import type { PageLoad } from './$types';
import { parseNearParams } from '#lib/geo.ts';

export const load: PageLoad = ({ url }) => parseNearParams(url.searchParams);
