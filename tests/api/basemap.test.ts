// The street map's archive (issue 18, "A real street map"): BASEMAP_PMTILES names a PMTiles file
// that the API serves with HTTP range requests, which is all a PMTiles reader needs. The archive is
// built here (helpers/pmtiles.ts); the real reader (the `pmtiles` package the web app uses) reads
// tiles from the server; range answers, validators and errors are checked on the wire; and the
// web app learns which basemap to draw from /tiles/basemap.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchSource, PMTiles } from 'pmtiles';
import { startServer, type TestServer } from '../helpers/server.ts';
import { STREET_MAX_ZOOM, writeStreetMap } from '../helpers/pmtiles.ts';
import { loadConfig } from '../../api/src/config.ts';

const ARCHIVE = '/tiles/basemap.pmtiles';

const tileOf = (lng: number, lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lng + 180) / 360) * 2 ** z),
    y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  };
};

describe('a local PMTiles archive (BASEMAP_PMTILES)', () => {
  let dir: string;
  let archive: Buffer;
  let s: TestServer;
  beforeAll(async () => {
    // A space in the path: the file is served by its name, not by a URL made of it.
    dir = await mkdtemp(join(tmpdir(), 'ma basemap-'));
    archive = await writeStreetMap(join(dir, 'israel.pmtiles'));
    s = await startServer({ BASEMAP_PMTILES: join(dir, 'israel.pmtiles') });
  });
  afterAll(async () => {
    await s?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the web app to read the archive from the API', async () => {
    const res = await fetch(`${s.url}/tiles/basemap.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ kind: 'pmtiles', url: ARCHIVE, attribution: expect.stringContaining('OpenStreetMap') });
  });

  it('answers a range with 206 and exactly those bytes, with validators and cache headers', async () => {
    const res = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: 'bytes=0-126' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-126/${archive.length}`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('application/vnd.pmtiles');
    expect(res.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(res.headers.get('etag')).toBeTruthy();
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(archive.subarray(0, 127))).toBe(true);
    expect(body.subarray(0, 7).toString('ascii')).toBe('PMTiles');

    const tail = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(archive.subarray(archive.length - 100))).toBe(true);
  });

  it('the whole file without a range; HEAD; 304 on a matching ETag; If-Range with a stale ETag gets the whole file', async () => {
    const whole = await fetch(`${s.url}${ARCHIVE}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(archive)).toBe(true);
    const etag = whole.headers.get('etag')!;

    const head = await fetch(`${s.url}${ARCHIVE}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(archive.length);

    // (fetch adds `cache-control: no-cache` to a conditional request unless it has one: a browser revalidating sends max-age=0.)
    expect((await fetch(`${s.url}${ARCHIVE}`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } })).status).toBe(304);

    const current = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: 'bytes=10-19', 'if-range': etag } });
    expect(current.status).toBe(206);
    expect(Buffer.from(await current.arrayBuffer()).equals(archive.subarray(10, 20))).toBe(true);
    const stale = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: 'bytes=10-19', 'if-range': '"not-this-one"' } });
    expect(stale.status).toBe(200);
    expect(Number(stale.headers.get('content-length'))).toBe(archive.length);
    await stale.arrayBuffer();
  });

  it('416 with the size for a range beyond the file', async () => {
    const res = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: `bytes=${archive.length + 10}-${archive.length + 20}` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${archive.length}`);
    await res.arrayBuffer();
  });

  it('the PMTiles reader reads street tiles from it over HTTP', async () => {
    const reader = new PMTiles(new FetchSource(`${s.url}${ARCHIVE}`));
    const header = await reader.getHeader();
    expect(header.maxZoom).toBe(STREET_MAX_ZOOM);
    const { x, y } = tileOf(34.596, 31.525, 14);
    const tile = await reader.getZxy(14, x, y);
    expect(tile?.data.byteLength).toBeGreaterThan(100);
    // The streets' names are in it, in Hebrew and Arabic too.
    const text = Buffer.from(tile!.data).toString('utf8');
    expect(text).toContain('הרצל');
    expect(text).toContain('هرتسل');
    // Far from the map's area there is nothing.
    const away = tileOf(35.2, 32.8, 14);
    expect(await reader.getZxy(14, away.x, away.y)).toBeUndefined();
  });
});

describe('without an archive', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('the bundled map, and no archive to read', async () => {
    expect(await (await fetch(`${s.url}/tiles/basemap.json`)).json()).toEqual({ kind: 'bundled' });
    const res = await fetch(`${s.url}${ARCHIVE}`, { headers: { range: 'bytes=0-126' } });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe('an external tile service (BASEMAP_TILE_URL)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ BASEMAP_TILE_URL: 'https://tiles.example.org/israel/{z}/{x}/{y}.mvt', BASEMAP_MAX_ZOOM: '14' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('is handed to the web app as a tile template', async () => {
    expect(await (await fetch(`${s.url}/tiles/basemap.json`)).json()).toEqual({
      kind: 'tiles',
      tiles: ['https://tiles.example.org/israel/{z}/{x}/{y}.mvt'],
      maxzoom: 14,
      attribution: expect.any(String),
    });
  });

  it('settings that cannot work are refused at start', () => {
    expect(() => loadConfig({ BASEMAP_PMTILES: '/nonexistent/israel.pmtiles' })).toThrow(/BASEMAP_PMTILES: no such file/);
    expect(() => loadConfig({ BASEMAP_TILE_URL: 'https://tiles.example.org/israel.json' })).toThrow(/BASEMAP_TILE_URL/);
    expect(loadConfig({ BASEMAP_TILE_URL: 'https://build.example.org/israel.pmtiles' }).BASEMAP_TILE_URL).toBe('https://build.example.org/israel.pmtiles');
  });
});
