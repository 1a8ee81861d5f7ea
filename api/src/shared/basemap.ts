// What the web app draws under the needs, as the API tells it (GET /tiles/basemap.json); shared by
// the API (api/src/http/tiles.ts) and the web app (web/src/lib/map/load.ts).
export const BASEMAP_ARCHIVE_PATH = '/tiles/basemap.pmtiles';
export const BASEMAP_INFO_PATH = '/tiles/basemap.json';

/** The bundled Natural Earth map, a PMTiles archive (the API's own or elsewhere), or a {z}/{x}/{y} tile service. */
export type BasemapInfo =
  | { kind: 'bundled' }
  | { kind: 'pmtiles'; url: string; attribution: string }
  | { kind: 'tiles'; tiles: string[]; maxzoom: number; attribution: string };

/** A URL that names a PMTiles archive rather than a tile template. */
export const isPmtilesUrl = (url: string) => /\.pmtiles(\?|$)/.test(url);
