// A small address service on 127.0.0.1 that speaks Nominatim's /search (jsonv2) or Photon's /api
// (GeoJSON), over a handful of streets, as a self-hosted one would answer. It records every
// request (path, query, headers) so tests can see what the API asked and how.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Street = { street: string; houseNumber?: string; city: string; lat: number; lng: number };
export type GeocoderRequest = { path: string; query: URLSearchParams; headers: IncomingHttpHeaders };

/** Streets of Sderot, in Hebrew and English as OSM has them. */
export const SDEROT_STREETS: Street[] = [
  { street: 'הרצל', city: 'שדרות', lat: 31.52391, lng: 34.59552 },
  { street: 'הרצל', houseNumber: '12', city: 'שדרות', lat: 31.52412, lng: 34.59601 },
  { street: 'Herzl', city: 'Sderot', lat: 31.52391, lng: 34.59552 },
  { street: 'Herzl', houseNumber: '12', city: 'Sderot', lat: 31.52412, lng: 34.59601 },
  { street: 'מנחם בגין', city: 'שדרות', lat: 31.52788, lng: 34.5921 },
];

const words = (s: string) => s.toLowerCase().split(/[\s,]+/).filter(Boolean);

export async function startFakeGeocoder(flavor: 'nominatim' | 'photon', streets: Street[] = SDEROT_STREETS, options: { status?: number; delayMs?: number } = {}) {
  const requests: GeocoderRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const q = words(url.searchParams.get('q') ?? '');
    // A street matches when each of its words (street, number, city) that the query names is typed.
    const hits = streets.filter((s) => {
      const own = [...words(s.street), ...(s.houseNumber ? [s.houseNumber] : []), ...words(s.city)];
      return words(s.street).every((w) => q.includes(w)) && q.every((w) => own.includes(w));
    });
    const answer =
      flavor === 'nominatim'
        ? hits.map((s) => ({
            lat: String(s.lat),
            lon: String(s.lng),
            display_name: [s.houseNumber ? `${s.street} ${s.houseNumber}` : s.street, s.city, 'ישראל'].join(', '),
            addresstype: s.houseNumber ? 'building' : 'road',
            type: s.houseNumber ? 'house' : 'residential',
            address: { road: s.street, ...(s.houseNumber ? { house_number: s.houseNumber } : {}), town: s.city, country: 'ישראל' },
          }))
        : {
            type: 'FeatureCollection',
            features: hits.map((s) => ({
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
              properties: s.houseNumber
                ? { osm_key: 'building', type: 'house', street: s.street, housenumber: s.houseNumber, city: s.city, country: 'ישראל' }
                : { osm_key: 'highway', type: 'street', name: s.street, city: s.city, country: 'ישראל' },
            })),
          };
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(options.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer));
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
