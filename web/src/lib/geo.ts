// Distances on the board are between public (approximate) locations: shown as a guide only.
export type LatLng = { lat: number; lng: number };

const EARTH_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function distanceKm(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const RADII_KM = [2, 5, 10, 25, 50] as const;
export const DEFAULT_RADIUS_KM = 10;

/** `?at=lat,lng&r=km` of the Near me page. */
export function parseNearParams(params: URLSearchParams): { point: LatLng | null; radiusKm: number } {
  const [lat, lng] = (params.get('at') ?? '').split(',').map(Number);
  const point = lat !== undefined && lng !== undefined && Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
  const r = Number(params.get('r'));
  return { point, radiusKm: (RADII_KM as readonly number[]).includes(r) ? r : DEFAULT_RADIUS_KM };
}

export function writeNearParams(point: LatLng | null, radiusKm: number): URLSearchParams {
  const out = new URLSearchParams();
  if (point) out.set('at', `${point.lat.toFixed(4)},${point.lng.toFixed(4)}`);
  out.set('r', String(radiusKm));
  return out;
}
