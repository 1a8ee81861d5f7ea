// The app shell for offline use: every built file and static asset is cached at install, and any page
// opened without a network gets the shell (the app renders in the browser), which shows "My tasks"
// from the copy kept in IndexedDB and queues claim actions until the connection returns.
// GraphQL (POST and WebSocket) is never cached here: live data must be live, or visibly old.
// The street map's archive is read in byte ranges; each range read online is kept (a cache keeps no
// 206 answers, so under a key naming the range) and answers the same range offline.
import { self } from '$app/service-worker';
import { BASEMAP_ARCHIVE_PATH, BASEMAP_INFO_PATH } from '@mutual-aid/api/shared/basemap.ts';
import { assets, immutable } from '$app/manifest';
import { version } from '$app/env';

const CACHE = `ma-shell-${version}`;
const SHELL = '/__shell';
/** Pages opened offline most often; any other path gets the same shell. */
const PAGES = ['/', '/tasks'];

const url = (path: string) => new URL(path, self.location.origin + '/').pathname;
const PRECACHE = [...immutable, ...assets].map((f) => url(f.path));
/** Not content-hashed, but needed to start the app: network first, the kept copy offline. */
const RUNTIME = ['/_app/env.js', BASEMAP_INFO_PATH];
/** The map's pieces outlive a new version of the app: they are the map's, not the app's. */
const TILES = 'ma-map-tiles';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...PRECACHE, ...RUNTIME]);
      // The shell as the server renders it (language and direction come from the request's cookie).
      const shell = await fetch('/tasks', { credentials: 'same-origin' });
      if (shell.ok) await cache.put(SHELL, shell);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE && key !== TILES) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const requestUrl = new URL(request.url);
  if (requestUrl.origin !== self.location.origin || requestUrl.pathname.startsWith('/graphql')) return;

  // Built files never change under the same name: cache first.
  if (PRECACHE.includes(requestUrl.pathname)) {
    event.respondWith(caches.match(requestUrl.pathname).then((hit) => hit ?? fetch(request)));
    return;
  }

  if (requestUrl.pathname === BASEMAP_ARCHIVE_PATH) {
    event.respondWith(archiveRange(request, (work) => event.waitUntil(work)));
    return;
  }

  if (RUNTIME.includes(requestUrl.pathname)) {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok) await (await caches.open(CACHE)).put(requestUrl.pathname, response.clone());
          return response;
        } catch {
          return (await caches.match(requestUrl.pathname)) ?? Response.error();
        }
      })(),
    );
    return;
  }

  // Pages: the network when there is one (and refresh the kept shell), the kept shell otherwise.
  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok && PAGES.includes(requestUrl.pathname)) {
            const cache = await caches.open(CACHE);
            await cache.put(SHELL, response.clone());
          }
          return response;
        } catch {
          return (await caches.match(SHELL)) ?? Response.error();
        }
      })(),
    );
  }
});

/** `bytes=START-END` of a request, or null for any other (a whole file, a suffix, several ranges). */
function byteRange(request: Request): { start: number; end: number } | null {
  const m = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get('range') ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]) } : null;
}

/** Ranges of the archive kept, at most (a street-level view reads a few dozen); the oldest go first. */
const MAX_RANGES = 5_000;

async function keepRange(key: string, response: Response) {
  const headers = new Headers({ 'content-type': 'application/vnd.pmtiles' });
  for (const name of ['content-range', 'etag', 'last-modified']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  const cache = await caches.open(TILES);
  await cache.put(key, new Response(await response.arrayBuffer(), { status: 200, headers }));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_RANGES))) await cache.delete(old);
}

/** A range of the street map's archive: from the network when there is one (and kept meanwhile), the kept copy offline. */
async function archiveRange(request: Request, meanwhile: (work: Promise<unknown>) => void): Promise<Response> {
  const range = byteRange(request);
  if (!range) return fetch(request);
  const key = `${BASEMAP_ARCHIVE_PATH}?bytes=${range.start}-${range.end}`;
  try {
    const response = await fetch(request);
    if (response.status === 206) meanwhile(keepRange(key, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const kept = await (await caches.open(TILES)).match(key);
    if (!kept) throw error;
    return new Response(kept.body, { status: 206, statusText: 'Partial Content', headers: kept.headers });
  }
}
