// An address service the operator runs or subscribes to, by URL: Nominatim's /search (jsonv2,
// with address details) or Photon's /api (GeoJSON). Every call goes through the guarded outbound
// client (no internal address unless allow-listed, no redirect, a deadline, a capped answer),
// names this server in its User-Agent, asks for labels in the viewer's language and prefers
// places near the community. Answers are kept in a bounded cache (least recently used out
// first, each for a while), so a caller repeating an address or a list of needs in one street
// costs one request.
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Outbound } from '../domain/outbound.ts';
import type { Geocoder, GeocodeCandidate, GeocodeRequest, Precision } from './geocoder.ts';
import { normalizeName } from './normalize.ts';

export type RemoteSettings = Readonly<{
  url: string;
  flavor: 'nominatim' | 'photon';
  timeoutMs: number;
  userAgent: string;
  cacheSize: number;
  cacheTtlMs: number;
}>;

/** How far around the community's centre places are preferred (degrees, about 30 km). */
const BIAS_DEGREES = 0.3;
const MAX_ANSWER_BYTES = 512 * 1024;

const nominatimAnswer = z.array(
  z.object({
    lat: z.coerce.number(),
    lon: z.coerce.number(),
    display_name: z.string(),
    addresstype: z.string().optional(),
    type: z.string().optional(),
    address: z.record(z.string(), z.string()).optional(),
  }),
);

const photonAnswer = z.object({
  features: z.array(
    z.object({
      geometry: z.object({ coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) }),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** The precision of a Nominatim place: a house number is an address, a road a street, anything else an area. */
function nominatimPrecision(p: z.infer<typeof nominatimAnswer>[number]): Precision {
  if (p.address?.house_number) return 'ADDRESS';
  if (p.address?.road || p.addresstype === 'road' || p.type === 'residential' || p.addresstype === 'street') return 'STREET';
  return 'LOCALITY';
}

function photonPrecision(props: Record<string, unknown>): Precision {
  if (props.housenumber || props.type === 'house') return 'ADDRESS';
  if (props.type === 'street' || props.osm_key === 'highway') return 'STREET';
  return 'LOCALITY';
}

function photonLabel(props: Record<string, unknown>): string {
  const str = (k: string) => (typeof props[k] === 'string' && props[k] ? (props[k] as string) : undefined);
  const street = props.type === 'street' ? (str('name') ?? str('street')) : str('street');
  const line = [street, str('housenumber')].filter(Boolean).join(' ');
  const place = str('city') ?? str('town') ?? str('village') ?? str('locality') ?? str('district');
  const own = props.type === 'street' || props.type === 'house' ? undefined : str('name');
  return [own, line || undefined, place !== own ? place : undefined].filter(Boolean).join(', ');
}

export function createRemoteGeocoder(outbound: Outbound, settings: RemoteSettings): Geocoder {
  const base = settings.url.replace(/\/+$/, '');
  const cache = new LRUCache<string, GeocodeCandidate[]>({ max: settings.cacheSize, ttl: settings.cacheTtlMs });

  function requestUrl(r: GeocodeRequest): string {
    const q = new URLSearchParams({ q: r.text, limit: String(r.limit) });
    if (settings.flavor === 'nominatim') {
      q.set('format', 'jsonv2');
      q.set('addressdetails', '1');
      q.set('accept-language', r.language);
      // A viewbox without `bounded` prefers places inside it and still finds the rest.
      if (r.near) q.set('viewbox', [r.near.lng - BIAS_DEGREES, r.near.lat + BIAS_DEGREES, r.near.lng + BIAS_DEGREES, r.near.lat - BIAS_DEGREES].map((v) => v.toFixed(4)).join(','));
      return `${base}/search?${q}`;
    }
    q.set('lang', r.language);
    if (r.near) {
      q.set('lat', r.near.lat.toFixed(5));
      q.set('lon', r.near.lng.toFixed(5));
    }
    return `${base}/api?${q}`;
  }

  async function ask(r: GeocodeRequest): Promise<GeocodeCandidate[]> {
    const res = await outbound.get(requestUrl(r), {
      headers: { 'user-agent': settings.userAgent, 'accept-language': r.language, accept: 'application/json' },
      timeoutMs: settings.timeoutMs,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
    if (res.status !== 200) throw new Error(`the address service answered HTTP ${res.status}`);
    const json: unknown = JSON.parse(res.body);
    if (settings.flavor === 'nominatim') {
      return nominatimAnswer.parse(json).map((p) => ({ label: p.display_name, lat: p.lat, lng: p.lon, precision: nominatimPrecision(p), source: 'SERVICE' as const }));
    }
    return photonAnswer.parse(json).features.map((f) => ({
      label: photonLabel(f.properties),
      lat: f.geometry.coordinates[1],
      lng: f.geometry.coordinates[0],
      precision: photonPrecision(f.properties),
      source: 'SERVICE' as const,
    }));
  }

  return Object.freeze({
    async search(r: GeocodeRequest) {
      const key = [normalizeName(r.text), r.language, r.limit, r.near ? `${r.near.lat.toFixed(3)},${r.near.lng.toFixed(3)}` : ''].join('|');
      const hit = cache.get(key);
      if (hit) return hit;
      // Failures are not kept: the next search asks again.
      const answer = (await ask(r)).filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lng) && Math.abs(c.lat) <= 90 && Math.abs(c.lng) <= 180 && c.label);
      cache.set(key, answer);
      return answer;
    },
  });
}
