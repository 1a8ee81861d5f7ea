// The street map's tiles: which basemap the web app should draw (GET /tiles/basemap.json), and the
// local PMTiles archive itself (GET/HEAD /tiles/basemap.pmtiles). A PMTiles reader asks for byte
// ranges of the one file (its header, directories, then each tile), so the archive is served with
// range requests, validators and cache headers by `send` (Express's static file server): 206 with
// Content-Range, 416 for a range outside the file, If-Range and ETag, 304 on a matching If-None-Match.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, resolve } from 'node:path';
import send from 'send';
import type { Config } from '../config.ts';
import { BASEMAP_ARCHIVE_PATH, BASEMAP_INFO_PATH, isPmtilesUrl, type BasemapInfo } from '../shared/basemap.ts';

export function basemapInfo(config: Pick<Config, 'BASEMAP_PMTILES' | 'BASEMAP_TILE_URL' | 'BASEMAP_MAX_ZOOM' | 'BASEMAP_ATTRIBUTION'>): BasemapInfo {
  const attribution = config.BASEMAP_ATTRIBUTION;
  if (config.BASEMAP_PMTILES) return { kind: 'pmtiles', url: BASEMAP_ARCHIVE_PATH, attribution };
  const external = config.BASEMAP_TILE_URL;
  if (!external) return { kind: 'bundled' };
  if (isPmtilesUrl(external)) return { kind: 'pmtiles', url: external, attribution };
  return { kind: 'tiles', tiles: [external], maxzoom: config.BASEMAP_MAX_ZOOM, attribution };
}

/** Answers the /tiles/ paths; false for any other request (the web app's). */
export function handleTiles(config: Config, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === BASEMAP_INFO_PATH) {
    const body = JSON.stringify(basemapInfo(config));
    // Asked again on each map's start (no-cache), so a changed setting shows at the next page load.
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' })
      .end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  if (path !== BASEMAP_ARCHIVE_PATH) return false;
  if (!config.BASEMAP_PMTILES) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('No basemap archive is configured (BASEMAP_PMTILES).');
    return true;
  }
  // The archive is read piece by piece for every view: kept by the browser for an hour, then
  // revalidated with its ETag (a replaced archive has another one, which the PMTiles reader notices).
  // send's own answers for what goes wrong (416 with the file's size in Content-Range, 404).
  // The file is named relative to its folder, as send decodes the path it is given.
  send(req, `/${encodeURIComponent(basename(config.BASEMAP_PMTILES))}`, {
    root: dirname(resolve(config.BASEMAP_PMTILES)),
    acceptRanges: true,
    etag: true,
    lastModified: true,
    cacheControl: true,
    maxAge: '1h',
    dotfiles: 'allow',
  })
    .on('headers', (response: ServerResponse) => {
      response.setHeader('content-type', 'application/vnd.pmtiles');
      // Readers elsewhere (a map of another site, QGIS) may read it too: it is the public map.
      response.setHeader('access-control-allow-origin', '*');
      response.setHeader('access-control-expose-headers', 'etag, content-range, content-length');
    })
    .pipe(res);
  return true;
}
