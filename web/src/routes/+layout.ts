// The app renders in the browser: a live map, a WebSocket and an offline queue have nothing to
// gain from server rendering, and one static shell is what the service worker caches for offline.
export const ssr = false;
export const prerender = false;
