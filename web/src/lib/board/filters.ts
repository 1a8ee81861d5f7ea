// Board filters live in the URL so a view can be shared; these are pure conversions.
import { CATEGORIES, LIVE_STATUSES, STATUSES, URGENCIES, type NeedCategory, type NeedStatus, type Urgency } from '../domain.ts';

export type BoardFilters = {
  categories: NeedCategory[];
  urgencies: Urgency[];
  statuses: NeedStatus[];
  communityId: string | null;
  text: string;
};

export type MapView = { lat: number; lng: number; zoom: number };

export const emptyFilters = (): BoardFilters => ({ categories: [], urgencies: [], statuses: [], communityId: null, text: '' });

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
    communityId: params.get('community') || null,
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
  set('community', f.communityId ?? '');
  set('q', f.text.trim());
  return out;
}

export function writeView(params: URLSearchParams, v: MapView): URLSearchParams {
  const out = new URLSearchParams(params);
  out.set('at', `${v.lat.toFixed(4)},${v.lng.toFixed(4)},${v.zoom.toFixed(2)}`);
  return out;
}

export const activeFilterCount = (f: BoardFilters) =>
  f.categories.length + f.urgencies.length + f.statuses.length + (f.communityId ? 1 : 0) + (f.text.trim() ? 1 : 0);

/** The API filter for these board filters (no statuses means the live ones). */
export function toNeedFilter(f: BoardFilters) {
  return {
    categories: f.categories.length ? f.categories : null,
    urgencies: f.urgencies.length ? f.urgencies : null,
    statuses: f.statuses.length ? f.statuses : [...LIVE_STATUSES],
    communityIds: f.communityId ? [f.communityId] : null,
    text: f.text.trim() || null,
  };
}

type Matchable = { category: NeedCategory; urgency: Urgency; status: NeedStatus; title: string; description?: string; community: { id: string } };

/** The same rule as the API's filter, for needs arriving on the live stream. */
export function matchesFilters(need: Matchable, f: BoardFilters): boolean {
  const statuses = f.statuses.length ? f.statuses : LIVE_STATUSES;
  if (!statuses.includes(need.status)) return false;
  if (f.categories.length && !f.categories.includes(need.category)) return false;
  if (f.urgencies.length && !f.urgencies.includes(need.urgency)) return false;
  if (f.communityId && need.community.id !== f.communityId) return false;
  const text = f.text.trim().toLowerCase();
  if (text && !need.title.toLowerCase().includes(text) && !(need.description ?? '').toLowerCase().includes(text)) return false;
  return true;
}
