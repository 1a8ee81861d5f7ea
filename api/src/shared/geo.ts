// Pure geography shared by the API and the web app (the web imports it as @mutual-aid/api/shared/geo.ts):
// one Earth, one distance.
export type Point = { lat: number; lng: number };
/** A box in degrees, edges included. */
export type BBox = { minLat: number; minLng: number; maxLat: number; maxLng: number };

/** The mean Earth radius (IUGG). */
export const EARTH_RADIUS_KM = 6371.0088;
/** Kilometres per degree of latitude on that sphere (for boxes and offsets in degrees). */
export const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;
const rad = (d: number) => (d * Math.PI) / 180;

/**
 * How far the public point lies from the exact one, in metres (draws stay 1 m inside): the exact
 * place is within `max` of the public point, the circle the need page draws.
 */
export const PUBLIC_OFFSET_M = { min: 250, max: 500 } as const;

/** Great-circle (haversine) distance in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
