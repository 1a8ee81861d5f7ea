// The app shell for offline use: every built file and static asset is cached at install, and any page
// opened without a network gets the shell (the app renders in the browser), which shows "My tasks"
// from the copy kept in IndexedDB and queues claim actions until the connection returns.
// GraphQL (POST and WebSocket) is never cached here: live data must be live, or visibly old.
import { self } from '$app/service-worker';
import { assets, immutable } from '$app/manifest';
import { version } from '$app/env';

const CACHE = `ma-shell-${version}`;
const SHELL = '/__shell';
/** Pages opened offline most often; any other path gets the same shell. */
const PAGES = ['/', '/tasks'];

const url = (path: string) => new URL(path, self.location.origin + '/').pathname;
const PRECACHE = [...immutable, ...assets].map((f) => url(f.path));
/** Not content-hashed, but needed to start the app: network first, the kept copy offline. */
const RUNTIME = ['/_app/env.js'];

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
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
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
