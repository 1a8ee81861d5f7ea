import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { basemap } from './vite/basemap.ts';

// In dev, /graphql (HTTP and WebSocket) and the map's /tiles go to the API so the app keeps one origin, as in production.
const api = process.env.API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [
    basemap(),
    sveltekit({
      adapter: adapter({ out: 'build', precompress: true }),
      compilerOptions: { runes: true },
      serviceWorker: { register: true },
      // Root-relative asset paths: the service worker serves one cached shell for every path when offline.
      paths: { relative: false },
      version: { pollInterval: 0 },
    }),
  ],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      '/tiles': { target: api, changeOrigin: false },
    },
  },
  build: { chunkSizeWarningLimit: 1200 },
});
