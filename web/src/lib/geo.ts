// Distances on the board are between public (approximate) locations: shown as a guide only.
import { distanceKm, type Point as LatLng } from '@mutual-aid/api/shared/geo.ts';

export { distanceKm, type LatLng };

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
