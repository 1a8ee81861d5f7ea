// A community's other names: how people write its place (Hebrew, Arabic, Russian, a short form).
// The offline geocoder (geocoding/gazetteer.ts) finds the community by each of them, so an
// operator typing "כפר עזה" or "يافا" reaches its centre without an address service.
import type { Services } from '../services.ts';
import { forbidden, notFound } from '../errors.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import type { Selection } from './selection.ts';

/** At most this many other names, each at most this long. */
export const ALIAS_LIMITS = { count: 20, length: 120 } as const;

/** Trimmed, blank ones dropped, each once (as written first). */
export function cleanAliases(aliases: readonly string[]): string[] {
  const seen = new Set<string>();
  return aliases.map((a) => a.trim().replace(/\s+/g, ' ')).filter((a) => a && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

/** Sets the community's other names (its coordinators and admins). */
export async function setCommunityAliases(s: Services, viewer: Viewer, communityId: string, aliases: readonly string[], query: Selection = {}) {
  if (!isCoordinatorOf(viewer, communityId)) throw forbidden("name this community's place");
  const found = await s.prisma.community.findUnique({ where: { id: communityId }, select: { id: true } });
  if (!found) throw notFound('Community');
  return s.prisma.community.update({ ...query, where: { id: communityId }, data: { aliases: cleanAliases(aliases) } });
}
