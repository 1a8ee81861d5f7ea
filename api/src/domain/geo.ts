// Geography without PostGIS (PGlite has none): plain degrees, haversine distances,
// bounding boxes that btree indexes on (lat, lng) can serve.
import { randomInt } from 'node:crypto';

import { distanceKm, KM_PER_DEGREE, PUBLIC_OFFSET_M, type BBox, type Point } from '../shared/geo.ts';

const rad = (d: number) => (d * Math.PI) / 180;

export { distanceKm, PUBLIC_OFFSET_M, type BBox, type Point };

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

/** A uniform draw in [0, 1) from the CSPRNG. */
const secureRandom = () => randomInt(0, 2 ** 47) / 2 ** 47;

/** Needs (or offers) of one community this close to each other are one place, with one public point. */
export const SAME_PLACE_KM = 0.025;

/** The slack a drawn distance keeps at each end of the band (see publicLocation). */
const DRAW_SLACK_M = 1;

/**
 * The location everyone may see: the exact point moved 276–474 m in a random direction: the
 * 250–500 m band less SAME_PLACE_KM and a metre of slack at each end, so that the point also
 * fits every other need of the same place (at most 25 m away), which then shares it. The slack
 * covers the 6-decimal grid (up to 8 cm) and the flat-earth step measured by haversine: without
 * it, a need 24.99 m away could miss the point by centimetres.
 * The offset is drawn (never derived from anything public such as the need's id, from which
 * anyone could recompute it and subtract it), and drawn once per place: callers reuse a
 * public point while it still fits (publicPointFits), so repeated draws around one address
 * never pile up to be averaged out.
 */
export function publicLocation(exact: Point, random: () => number = secureRandom): Point {
  const angle = random() * 2 * Math.PI;
  const margin = SAME_PLACE_KM * 1000 + DRAW_SLACK_M;
  const distanceM = PUBLIC_OFFSET_M.min + margin + random() * (PUBLIC_OFFSET_M.max - PUBLIC_OFFSET_M.min - 2 * margin);
  const moved = movedBy(exact, distanceM, angle);
  return { lat: round6(moved.lat), lng: round6(moved.lng) };
}

/** `from` moved `metres` on the bearing `angle` (radians from north), by the flat-earth step: exact enough over a few hundred metres. */
export function movedBy(from: Point, metres: number, angle: number): Point {
  const mPerDegree = KM_PER_DEGREE * 1000;
  return {
    lat: from.lat + (metres * Math.cos(angle)) / mPerDegree,
    lng: from.lng + (metres * Math.sin(angle)) / (mPerDegree * Math.max(0.01, Math.cos(rad(from.lat)))),
  };
}

/** Whether a public point may stand for this exact point: 250–500 m from it. */
export function publicPointFits(exact: Point, pub: Point): boolean {
  const m = distanceKm(exact, pub) * 1000;
  return m >= PUBLIC_OFFSET_M.min && m <= PUBLIC_OFFSET_M.max;
}

/** The step, in km, of every distance shown to someone who may not see both ends exactly. */
export const COARSE_KM_STEP = 0.5;

/**
 * A distance rounded to the nearest half kilometre. Whatever others can read (reason texts,
 * weights, scores, order) is computed from this, so moving one end by a few metres changes
 * nothing they see, and no trilateration gets finer than the step.
 */
export function coarseKm(km: number): number {
  return Math.round(km / COARSE_KM_STEP) * COARSE_KM_STEP;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
