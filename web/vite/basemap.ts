// A basemap that needs no tile server: Natural Earth (world-atlas) turned into small GeoJSON at
// build time. The world at 1:110m for context, and the region around Israel at 1:10m clipped to a
// box, so the bundle stays small while borders are sharp where the needs are.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiLineString, Position } from 'geojson';

const VIRTUAL_ID = 'virtual:basemap';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/** [minLng, minLat, maxLng, maxLat] of the detailed region. */
export const REGION: [number, number, number, number] = [31.0, 28.0, 39.5, 35.5];

const require = createRequire(import.meta.url);
const readTopology = (file: string) => JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology;

const round = (p: Position): Position => [Math.round(p[0]! * 1e4) / 1e4, Math.round(p[1]! * 1e4) / 1e4];

/** Sutherland–Hodgman: clips one ring to the (convex) region box. */
function clipRing(ring: Position[], [minX, minY, maxX, maxY]: typeof REGION): Position[] {
  const edges: [(p: Position) => boolean, (a: Position, b: Position) => Position][] = [
    [(p) => p[0]! >= minX, (a, b) => [minX, a[1]! + ((b[1]! - a[1]!) * (minX - a[0]!)) / (b[0]! - a[0]!)]],
    [(p) => p[0]! <= maxX, (a, b) => [maxX, a[1]! + ((b[1]! - a[1]!) * (maxX - a[0]!)) / (b[0]! - a[0]!)]],
    [(p) => p[1]! >= minY, (a, b) => [a[0]! + ((b[0]! - a[0]!) * (minY - a[1]!)) / (b[1]! - a[1]!), minY]],
    [(p) => p[1]! <= maxY, (a, b) => [a[0]! + ((b[0]! - a[0]!) * (maxY - a[1]!)) / (b[1]! - a[1]!), maxY]],
  ];
  let out = ring;
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    if (out.length === 0) return [];
  }
  const rounded = out.map(round);
  if (rounded.length > 0) rounded.push(rounded[0]!);
  return rounded.length >= 4 ? rounded : [];
}

function clipPolygons(geometry: Geometry): Geometry | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const clipped = polygons
    .map((rings) => rings.map((r) => clipRing(r, REGION)).filter((r) => r.length > 0))
    .filter((rings) => rings.length > 0);
  return clipped.length ? { type: 'MultiPolygon', coordinates: clipped } : null;
}

function clipLines(lines: MultiLineString): MultiLineString {
  const [minX, minY, maxX, maxY] = REGION;
  const inside = (p: Position) => p[0]! >= minX && p[0]! <= maxX && p[1]! >= minY && p[1]! <= maxY;
  const out: Position[][] = [];
  for (const line of lines.coordinates) {
    let current: Position[] = [];
    for (const p of line) {
      if (inside(p)) current.push(round(p));
      else if (current.length) {
        if (current.length > 1) out.push(current);
        current = [];
      }
    }
    if (current.length > 1) out.push(current);
  }
  return { type: 'MultiLineString', coordinates: out };
}

function simplifyWorld(fc: FeatureCollection): FeatureCollection {
  const roundGeometry = (g: Geometry): Geometry =>
    g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(round)) }
      : g.type === 'MultiPolygon'
        ? { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(round))) }
        : g;
  return { type: 'FeatureCollection', features: fc.features.map((f) => ({ type: 'Feature', properties: {}, geometry: roundGeometry(f.geometry) })) };
}

export function buildBasemap() {
  const world = readTopology('land-110m.json');
  const detail = readTopology('countries-10m.json');
  const countries = detail.objects.countries as GeometryCollection<{ name: string }>;

  const worldLand = simplifyWorld(feature(world, world.objects.land!) as unknown as FeatureCollection);

  const regionCountries: Feature[] = [];
  for (const f of (feature(detail, countries) as unknown as FeatureCollection<Geometry, { name: string }>).features) {
    const clipped = clipPolygons(f.geometry);
    if (clipped) regionCountries.push({ type: 'Feature', id: Number(f.id), properties: { name: f.properties.name, iso: String(f.id) }, geometry: clipped });
  }
  const borders = clipLines(mesh(detail, countries, (a, b) => a !== b) as MultiLineString);

  return {
    region: REGION,
    worldLand,
    regionCountries: { type: 'FeatureCollection', features: regionCountries } satisfies FeatureCollection,
    borders: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: borders }] } satisfies FeatureCollection,
  };
}

export function basemap(): Plugin {
  let cached: string | undefined;
  return {
    name: 'mutual-aid:basemap',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      cached ??= `export default ${JSON.stringify(buildBasemap())};`;
      return cached;
    },
  };
}
