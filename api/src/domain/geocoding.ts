// Turning what a caller says ("הרצל 12, שדרות") into a place on the map. One interface
// (geocoding/geocoder.ts), any implementation: an address service the operator runs (Nominatim or Photon, geocoding/remote.ts),
// and always the offline gazetteer shipped with the project (Israeli localities and the
// communities, to their centres: geocoding/gazetteer.ts). The composition root (services.ts)
// picks and wires them; this file knows only the interface (s.geocoding), so the rule "who may search, how
// often, and what comes first" is the same whichever service answers.
import type { Services } from '../services.ts';
import { badInput, forbidden } from '../errors.ts';
import { takesAnyIntake, type Viewer } from '../auth/viewer.ts';
import type { GeocodeCandidate, GeocodeRequest } from '../geocoding/geocoder.ts';

export const GEOCODE_MAX_TEXT = 200;
const DEFAULT_LIMIT = 6;

/** Who may search addresses: those who take in needs (coordinators, hotline operators, admins). */
export function assertMayGeocode(viewer: Viewer | null): asserts viewer is Viewer {
  if (!viewer || !takesAnyIntake(viewer)) throw forbidden('search addresses');
}

/**
 * Candidates for `text`: the address service's first (street or house precision when it has
 * them), then the offline gazetteer's that the service did not already give. The service failing
 * (down, slow, refused by the outbound guard) leaves the offline answer, never an error.
 */
export async function resolvePlaces(s: Services, request: GeocodeRequest): Promise<GeocodeCandidate[]> {
  const fromService = s.geocoding.service
    ? await s.geocoding.service.search(request).catch((err: unknown) => {
        s.log.warn({ err: { message: (err as Error).message } }, 'geocoder: the address service did not answer; the offline gazetteer answers alone');
        return [];
      })
    : [];
  const offline = await s.geocoding.offline.search(request);
  const near = (a: GeocodeCandidate, b: GeocodeCandidate) => Math.abs(a.lat - b.lat) < 0.002 && Math.abs(a.lng - b.lng) < 0.002 && a.precision === b.precision;
  const merged = [...fromService, ...offline.filter((o) => !fromService.some((f) => near(f, o)))];
  return merged.slice(0, request.limit);
}

/** The `geocode` query: the viewer may take in needs; rate limited per person (or API key). */
export async function geocode(
  s: Services,
  viewer: Viewer | null,
  input: { text: string; language: string; communityId?: string | null; limit?: number | null },
): Promise<GeocodeCandidate[]> {
  assertMayGeocode(viewer);
  const text = input.text.trim();
  if (text.length > GEOCODE_MAX_TEXT) throw badInput(`At most ${GEOCODE_MAX_TEXT} characters.`, 'text');
  await s.limits.geocode(viewer.apiKey ? `key:${viewer.apiKey.id}` : `user:${viewer.id}`);
  if (text.length < 2) return [];
  const community = input.communityId
    ? await s.prisma.community.findUnique({ where: { id: input.communityId }, select: { centerLat: true, centerLng: true } })
    : null;
  const near = community ? { lat: community.centerLat, lng: community.centerLng } : null;
  return resolvePlaces(s, { text, language: input.language, near, limit: Math.min(Math.max(input.limit ?? DEFAULT_LIMIT, 1), 10) });
}
