// Geography without PostGIS (PGlite has none): plain degrees, haversine distances,
// bounding boxes that btree indexes on (lat, lng) can serve.
import { createHash } from 'node:crypto';

import { distanceKm, KM_PER_DEGREE, type Point } from '../shared/geo.ts';

const rad = (d: number) => (d * Math.PI) / 180;

export { distanceKm, type Point };
export type BBox = { minLat: number; minLng: number; maxLat: number; maxLng: number };

/** The smallest box containing the circle, for an index-served prefilter. */
export function bboxAround(center: Point, radiusKm: number): BBox {
  // Degrees on distanceKm's own sphere (a hair wider against rounding): a point on the circle is inside the box.
  const degrees = (radiusKm / KM_PER_DEGREE) * (1 + 1e-9);
  const dLat = degrees;
  const dLng = degrees / Math.max(0.01, Math.cos(rad(center.lat)));
  return {
    minLat: Math.max(-90, center.lat - dLat),
    maxLat: Math.min(90, center.lat + dLat),
    minLng: Math.max(-180, center.lng - dLng),
    maxLng: Math.min(180, center.lng + dLng),
  };
}

/**
 * The location everyone may see: the exact point moved 250–500 m in a direction and by a
 * distance derived from the need's id, so it is stable per need (no averaging out of
 * repeated random offsets) yet does not reveal the door.
 */
export function publicLocation(needId: string, exact: Point): Point {
  const h = createHash('sha256').update(`public-location:${needId}`).digest();
  const angle = (h.readUInt32BE(0) / 0xffffffff) * 2 * Math.PI;
  const distanceM = 250 + (h.readUInt32BE(4) / 0xffffffff) * 250;
  const dLat = (distanceM * Math.cos(angle)) / 111_320;
  const dLng = (distanceM * Math.sin(angle)) / (111_320 * Math.max(0.01, Math.cos(rad(exact.lat))));
  return { lat: round6(exact.lat + dLat), lng: round6(exact.lng + dLng) };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
