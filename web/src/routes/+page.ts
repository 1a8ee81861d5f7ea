import type { PageLoad } from './$types';
import { parseFilters, parseLayers, parseView } from '#lib/board/filters.ts';

export const load: PageLoad = ({ url }) => ({
  filters: parseFilters(url.searchParams),
  view: parseView(url.searchParams),
  layers: parseLayers(url.searchParams),
});
