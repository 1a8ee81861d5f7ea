// Board filters live in the URL so a view can be shared; these are pure conversions.
import { CATEGORIES, LIVE_STATUSES, STATUSES, URGENCIES, type NeedCategory, type NeedStatus, type Urgency } from '../domain.ts';
import type { VariablesOf } from '../graphql/graphql.ts';
import type { BoardNeedsQuery } from '../graphql/needs.ts';
import { matchesBoard, type BoardFilter, type BoardRow } from '@mutual-aid/api/shared/boardFilter.ts';

/** The API's board filter (input NeedFilter). A criterion added there appears here, and `asBoardFilter` below fails to compile until the board applies it. */
export type NeedFilter = NonNullable<VariablesOf<typeof BoardNeedsQuery>['filter']>;

/** The criteria a person sets on the board, as the URL keeps them: the API's own, never null (at most one community). */
export type BoardFilters = { [K in 'categories' | 'urgencies' | 'statuses' | 'communityIds' | 'text']-?: NonNullable<NeedFilter[K]> };

export type MapView = { lat: number; lng: number; zoom: number };

export const emptyFilters = (): BoardFilters => ({ categories: [], urgencies: [], statuses: [], communityIds: [], text: '' });

function list<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const raw = params.get(name);
  if (!raw) return [];
  const wanted = new Set(raw.split(','));
  return allowed.filter((v) => wanted.has(v));
}

export function parseFilters(params: URLSearchParams): BoardFilters {
  return {
    categories: list(params, 'category', CATEGORIES),
    urgencies: list(params, 'urgency', URGENCIES),
    statuses: list(params, 'status', STATUSES),
    communityIds: params.get('community') ? [params.get('community')!] : [],
    text: (params.get('q') ?? '').slice(0, 200),
  };
}

export function parseView(params: URLSearchParams): MapView | null {
  const [lat, lng, zoom] = (params.get('at') ?? '').split(',').map(Number);
  if ([lat, lng, zoom].some((n) => n === undefined || !Number.isFinite(n))) return null;
  if (Math.abs(lat!) > 90 || Math.abs(lng!) > 180 || zoom! < 0 || zoom! > 22) return null;
  return { lat: lat!, lng: lng!, zoom: zoom! };
}

/** Writes filters into `params` (view and other params are kept). */
export function writeFilters(params: URLSearchParams, f: BoardFilters): URLSearchParams {
  const out = new URLSearchParams(params);
  const set = (name: string, value: string) => (value ? out.set(name, value) : out.delete(name));
  set('category', f.categories.join(','));
  set('urgency', f.urgencies.join(','));
  set('status', f.statuses.join(','));
  set('community', f.communityIds[0] ?? '');
  set('q', f.text.trim());
  return out;
}

/** Which sets the map draws: `show=needs` or `show=offers` keeps one; absent, both. */
export type BoardLayers = { needs: boolean; offers: boolean };

export function parseLayers(params: URLSearchParams): BoardLayers {
  const show = params.get('show');
  return { needs: show !== 'offers', offers: show !== 'needs' };
}

export function writeLayers(params: URLSearchParams, l: BoardLayers): URLSearchParams {
  const out = new URLSearchParams(params);
  if (l.needs && !l.offers) out.set('show', 'needs');
  else if (l.offers && !l.needs) out.set('show', 'offers');
  else out.delete('show');
  return out;
}

export function writeView(params: URLSearchParams, v: MapView): URLSearchParams {
  const out = new URLSearchParams(params);
  out.set('at', `${v.lat.toFixed(4)},${v.lng.toFixed(4)},${v.zoom.toFixed(2)}`);
  return out;
}

export const activeFilterCount = (f: BoardFilters) =>
  f.categories.length + f.urgencies.length + f.statuses.length + f.communityIds.length + (f.text.trim() ? 1 : 0);

/** The API filter for these board filters (no statuses means the live ones). */
export function toNeedFilter(f: BoardFilters): NeedFilter {
  return {
    categories: f.categories.length ? f.categories : null,
    urgencies: f.urgencies.length ? f.urgencies : null,
    statuses: f.statuses.length ? f.statuses : [...LIVE_STATUSES],
    communityIds: f.communityIds.length ? f.communityIds : null,
    text: f.text.trim() || null,
  };
}

type Matchable = Omit<BoardRow, 'communityId' | 'id'> & { id?: string; community: { id: string } };

/**
 * The API's filter as the API's own predicate reads it (@mutual-aid/api/shared/boardFilter.ts, the
 * one the API applies to the live stream): `allOccurrences` absent means only the needs on the board.
 * Every NeedFilter field is named here, so a criterion added to the API fails to compile until mapped.
 */
function asBoardFilter(filter: NeedFilter): BoardFilter {
  const { categories, urgencies, statuses, communityIds, bbox, text, allOccurrences, ...unmapped } = filter;
  const none: Record<string, never> = unmapped;
  return { ...none, categories, urgencies, statuses, communityIds, bbox, text, onBoard: !allOccurrences };
}

/** Whether a need passes the API's filter. */
export function matchesNeedFilter(need: Matchable, filter: NeedFilter): boolean {
  return matchesBoard({ ...need, id: need.id ?? '', communityId: need.community.id }, asBoardFilter(filter));
}

/** Whether a need belongs on the board with these filters: the filter the board loads with. */
export const matchesFilters = (need: Matchable, f: BoardFilters): boolean => matchesNeedFilter(need, toNeedFilter(f));
