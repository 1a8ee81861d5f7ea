// Distances on the board are between public (approximate) locations: shown as a guide only.
import { distanceKm, KM_PER_DEGREE, type Point as LatLng } from '@mutual-aid/api/shared/geo.ts';

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

/** A circle of `radiusM` metres around `center` as a polygon ring (lng, lat), for drawing an area on a map. */
export function circleRing(center: LatLng, radiusM: number, steps = 64): [number, number][] {
  const dLat = radiusM / (KM_PER_DEGREE * 1000);
  const dLng = dLat / Math.max(0.01, Math.cos((center.lat * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * 2 * Math.PI;
    ring.push([center.lng + dLng * Math.sin(a), center.lat + dLat * Math.cos(a)]);
  }
  return ring;
}

/** A link that opens directions to a point in the phone's maps app (or Google Maps on a desktop). */
export const directionsUrl = (to: LatLng) => `https://www.google.com/maps/dir/?api=1&destination=${to.lat.toFixed(6)},${to.lng.toFixed(6)}`;

/** Where the device is, asked of the browser (which may ask the person first); rejected when it cannot say. */
export function currentPosition(): Promise<LatLng> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new Error('No geolocation in this browser'));
    navigator.geolocation.getCurrentPosition((pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude }), reject, {
      enableHighAccuracy: false,
      timeout: 15_000,
      maximumAge: 300_000,
    });
  });
}
