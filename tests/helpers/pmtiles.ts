// A tiny street map as a PMTiles v3 archive, made here so the tests need no download: a few roads,
// places, land, sea and a park around Sderot in the Protomaps basemap schema (layers earth, water,
// landuse, roads, places; names in `name` with name:he, name:ar, name:en), cut into vector tiles
// by geojson-vt, encoded by vt-pbf, and laid out as the spec says (header, root directory,
// metadata, tile data; no compression, which the format allows).
// The roads follow Sderot's layout only roughly: it is a test map, not a survey.
import { writeFile } from 'node:fs/promises';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { zxyToTileId } from 'pmtiles';
// @ts-expect-error vt-pbf has no type declarations
import vtpbf from 'vt-pbf';

type Names = { he: string; ar: string; en: string };

const named = (n: Names, script = 'Hebrew') => ({ name: n.he, 'name:he': n.he, 'name:ar': n.ar, 'name:en': n.en, script });

const line = (coordinates: [number, number][], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates },
});
const polygon = (ring: [number, number][], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] },
});
const point = (lng: number, lat: number, properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [lng, lat] },
});

/** The area the archive covers (west, south, east, north), and where it is detailed down to street zoom. */
export const STREET_MAP_BOUNDS = [34.3, 31.35, 34.85, 31.72] as const;
export const STREET_DETAIL_BOUNDS = [34.55, 31.49, 34.65, 31.56] as const;
export const STREET_MAX_ZOOM = 15;

/** Named streets of the test map, for tests that look for them. */
export const STREETS = {
  begin: { he: 'שדרות מנחם בגין', ar: 'جادة مناحيم بيغن', en: 'Menachem Begin Boulevard' },
  herzl: { he: 'הרצל', ar: 'هرتسل', en: 'Herzl Street' },
  atzmaut: { he: 'העצמאות', ar: 'الاستقلال', en: 'HaAtzmaut Street' },
  rabin: { he: 'רבין', ar: 'رابين', en: 'Rabin Street' },
} satisfies Record<string, Names>;

export const PLACES = {
  sderot: { he: 'שדרות', ar: 'سديروت', en: 'Sderot' },
  netivot: { he: 'נתיבות', ar: 'نتيفوت', en: 'Netivot' },
  ashkelon: { he: 'אשקלון', ar: 'عسقلان', en: 'Ashkelon' },
} satisfies Record<string, Names>;

function layersOfTheMap(): Record<string, FeatureCollection> {
  const [w, s, e, n] = STREET_MAP_BOUNDS;
  // The coast, south-west to north-east: land east of it, the sea west of it.
  const coast: [number, number][] = [
    [w, s + 0.04],
    [34.43, 31.52],
    [34.56, n],
  ];
  const earth = polygon([...coast, [e, n], [e, s], [w, s]], { kind: 'earth' });
  const sea = polygon([...coast, [w, n]], { kind: 'ocean', ...named({ he: 'הים התיכון', ar: 'البحر المتوسط', en: 'Mediterranean Sea' }), min_zoom: 5 });

  const roads: Feature[] = [
    line(
      [
        [34.555, 31.45],
        [34.605, 31.505],
        [34.617, 31.54],
        [34.66, 31.6],
      ],
      { kind: 'highway', kind_detail: 'trunk', ref: '34', ...named({ he: 'דרך 34', ar: 'طريق 34', en: 'Route 34' }), min_zoom: 6 },
    ),
    line(
      [
        [34.57, 31.42],
        [34.583, 31.5],
        [34.578, 31.56],
        [34.56, 31.64],
      ],
      { kind: 'major_road', kind_detail: 'primary', ref: '232', ...named({ he: 'דרך 232', ar: 'طريق 232', en: 'Route 232' }), min_zoom: 8 },
    ),
    line(
      [
        [34.583, 31.521],
        [34.596, 31.525],
        [34.61, 31.528],
      ],
      { kind: 'major_road', kind_detail: 'secondary', ...named(STREETS.begin), min_zoom: 11 },
    ),
    line(
      [
        [34.594, 31.512],
        [34.5955, 31.524],
        [34.597, 31.537],
      ],
      { kind: 'minor_road', kind_detail: 'residential', ...named(STREETS.herzl), min_zoom: 13 },
    ),
    line(
      [
        [34.588, 31.517],
        [34.604, 31.52],
      ],
      { kind: 'minor_road', kind_detail: 'residential', ...named(STREETS.atzmaut), min_zoom: 13 },
    ),
    line(
      [
        [34.588, 31.531],
        [34.604, 31.534],
      ],
      { kind: 'minor_road', kind_detail: 'residential', ...named(STREETS.rabin), min_zoom: 13 },
    ),
  ];
  // The streets between them, unnamed, as a town's grid is.
  for (let lng = 34.5885; lng < 34.605; lng += 0.0032) roads.push(line([[lng, 31.513], [lng + 0.001, 31.536]], { kind: 'minor_road', kind_detail: 'residential', min_zoom: 14 }));
  for (let lat = 31.5145; lat < 31.536; lat += 0.0028) roads.push(line([[34.587, lat], [34.606, lat + 0.003]], { kind: 'minor_road', kind_detail: 'residential', min_zoom: 14 }));

  const landuse = [
    polygon(
      [
        [34.598, 31.526],
        [34.603, 31.527],
        [34.602, 31.531],
        [34.597, 31.53],
      ],
      { kind: 'park', ...named({ he: 'פארק העיר', ar: 'حديقة المدينة', en: 'City Park' }), min_zoom: 12 },
    ),
  ];

  const places = [
    point(34.596, 31.525, { kind: 'locality', kind_detail: 'town', ...named(PLACES.sderot), population: 33000, population_rank: 9, min_zoom: 7 }),
    point(34.589, 31.421, { kind: 'locality', kind_detail: 'town', ...named(PLACES.netivot), population: 50000, population_rank: 9, min_zoom: 7 }),
    point(34.574, 31.668, { kind: 'locality', kind_detail: 'city', ...named(PLACES.ashkelon), population: 150000, population_rank: 10, min_zoom: 6 }),
  ];

  const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  return {
    earth: collection([earth]),
    water: collection([sea]),
    landuse: collection(landuse),
    roads: collection(roads),
    places: collection(places),
  };
}

const lngToX = (lng: number, z: number) => Math.floor(((lng + 180) / 360) * 2 ** z);
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** Every tile of the map: zooms 0–12 over the whole area, 13–15 only where the streets are. */
export function streetMapTiles(): Map<number, Uint8Array> {
  const layers = layersOfTheMap();
  const indexes = Object.fromEntries(Object.entries(layers).map(([name, fc]) => [name, new GeoJSONVT(fc as FeatureCollection<Geometry>, { maxZoom: STREET_MAX_ZOOM, indexMaxZoom: 5, buffer: 64 })]));
  const tiles = new Map<number, Uint8Array>();
  for (let z = 0; z <= STREET_MAX_ZOOM; z++) {
    const [w, s, e, n] = z >= 13 ? STREET_DETAIL_BOUNDS : STREET_MAP_BOUNDS;
    for (let x = lngToX(w, z); x <= lngToX(e, z); x++) {
      for (let y = latToY(n, z); y <= latToY(s, z); y++) {
        const present: Record<string, unknown> = {};
        for (const [name, index] of Object.entries(indexes)) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length) present[name] = tile;
        }
        if (Object.keys(present).length) tiles.set(zxyToTileId(z, x, y), new Uint8Array(vtpbf.fromGeojsonVt(present, { version: 2, extent: 4096 })));
      }
    }
  }
  return tiles;
}

class Bytes {
  parts: number[] = [];
  varint(v: number) {
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }
}

/** A PMTiles v3 archive of `tiles` (by Hilbert tile id) with one root directory and no leaves. */
export function pmtilesArchive(
  tiles: Map<number, Uint8Array>,
  meta: { bounds: readonly [number, number, number, number]; minZoom: number; maxZoom: number; center: [number, number, number]; metadata: object },
): Buffer {
  const ids = [...tiles.keys()].sort((a, b) => a - b);
  // Identical tiles (open land, open sea) are stored once.
  const byContent = new Map<string, { offset: number; length: number }>();
  const data: Buffer[] = [];
  let dataLength = 0;
  const entries = ids.map((id) => {
    const bytes = Buffer.from(tiles.get(id)!);
    const key = bytes.toString('base64');
    let at = byContent.get(key);
    if (!at) {
      at = { offset: dataLength, length: bytes.length };
      byContent.set(key, at);
      data.push(bytes);
      dataLength += bytes.length;
    }
    return { id, ...at };
  });
  const dir = new Bytes();
  dir.varint(entries.length);
  let last = 0;
  for (const e of entries) {
    dir.varint(e.id - last);
    last = e.id;
  }
  for (const _ of entries) dir.varint(1);
  for (const e of entries) dir.varint(e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    dir.varint(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  const root = Buffer.from(dir.parts);
  const metadata = Buffer.from(JSON.stringify(meta.metadata));

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const dataOffset = metadataOffset + metadata.length;
  const u64 = (v: number, at: number) => header.writeBigUInt64LE(BigInt(v), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metadataOffset, 24);
  u64(metadata.length, 32);
  u64(dataOffset, 40); // no leaf directories
  u64(0, 48);
  u64(dataOffset, 56);
  u64(dataLength, 64);
  u64(entries.length, 72);
  u64(entries.length, 80);
  u64(byContent.size, 88);
  header.writeUInt8(0, 96); // not clustered: repeated tiles point back
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(1, 99); // tile type: MVT
  header.writeUInt8(meta.minZoom, 100);
  header.writeUInt8(meta.maxZoom, 101);
  const e7 = (v: number) => Math.round(v * 1e7);
  const [w, s, e, n] = meta.bounds;
  header.writeInt32LE(e7(w), 102);
  header.writeInt32LE(e7(s), 106);
  header.writeInt32LE(e7(e), 110);
  header.writeInt32LE(e7(n), 114);
  header.writeUInt8(meta.center[2], 118);
  header.writeInt32LE(e7(meta.center[0]), 119);
  header.writeInt32LE(e7(meta.center[1]), 123);
  return Buffer.concat([header, root, metadata, ...data]);
}

/** The test street map around Sderot as a PMTiles archive. */
export function streetMapArchive(): Buffer {
  return pmtilesArchive(streetMapTiles(), {
    bounds: STREET_MAP_BOUNDS,
    minZoom: 0,
    maxZoom: STREET_MAX_ZOOM,
    center: [34.596, 31.525, 13],
    metadata: {
      name: 'Test street map around Sderot',
      attribution: 'Test data made by the test suite',
      vector_layers: ['earth', 'water', 'landuse', 'roads', 'places'].map((id) => ({ id, fields: {} })),
    },
  });
}

export async function writeStreetMap(path: string): Promise<Buffer> {
  const archive = streetMapArchive();
  await writeFile(path, archive);
  return archive;
}
