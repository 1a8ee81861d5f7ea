// Matching: for a need, the volunteers best placed to take it; for a volunteer, the needs
// that suit them. Each score comes with the reasons behind it.
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { forbidden, notFound } from '../errors.ts';
import type { Need, User } from '../generated/prisma/client.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { coarseKm, distanceKm } from './geo.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import { ZONE } from './timezone.ts';
import { liveClaim } from './needStatus.ts';
import { hasRequirements, missingForNeed, missingLabel, needRequirements, type Missing } from './vetting.ts';
import { vettingByCommunity, vettingOfMembers } from './vettingRecords.ts';
import { byId, needsUrgentFirst } from './orders.ts';

export type Reason = {
  code: 'SKILL' | 'DISTANCE' | 'TOO_FAR' | 'AVAILABLE' | 'UNAVAILABLE' | 'LOAD' | 'NO_HOME' | 'VETTED' | 'NOT_VETTED';
  text: string;
  weight: number;
};
export type Match<T> = { subject: T; score: number; reasons: Reason[] };

/**
 * Pure: a need that asks for vetting ranks those who have it first (whoever lacks it could not
 * take it: claimNeed and assignNeed refuse them), and says what each other one lacks.
 */
export function withVetting<T>(match: Match<T>, requiresVetting: boolean, missing: readonly Missing[]): Match<T> & { vetted: boolean } {
  if (!requiresVetting) return { ...match, vetted: true };
  const reason: Reason = missing.length
    ? { code: 'NOT_VETTED', text: `Not vetted for this need: lacks ${missing.map(missingLabel).join(', ')}`, weight: 0 }
    : { code: 'VETTED', text: 'Vetted for this need', weight: 0 };
  return { ...match, reasons: [reason, ...match.reasons], vetted: missing.length === 0 };
}

const byVettedThenScore = (a: { vetted: boolean; score: number }, b: { vetted: boolean; score: number }) => Number(b.vetted) - Number(a.vetted) || b.score - a.score;

const WEIGHTS = { skill: 0.35, distance: 0.35, availability: 0.15, load: 0.15 };
/** Beyond this, distance earns nothing. */
const FAR_KM = 25;

/** The hour and weekday in Israel at a moment. */
function localTime(at: Date): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short', hour: 'numeric', hour12: false }).formatToParts(at);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return { day: days.indexOf(parts.find((p) => p.type === 'weekday')!.value), hour: Number(parts.find((p) => p.type === 'hour')!.value) % 24 };
}

export function isAvailable(user: Pick<User, 'availableDays' | 'availableFromHour' | 'availableToHour'>, at: Date): boolean {
  const { day, hour } = localTime(at);
  if (user.availableDays.length && !user.availableDays.includes(day)) return false;
  if (user.availableFromHour != null && hour < user.availableFromHour) return false;
  if (user.availableToHour != null && hour >= user.availableToHour) return false;
  return true;
}

/**
 * Pure: how well a volunteer fits a need, and why. Both sides read the result (the volunteer
 * in suggestedNeeds, coordinators in volunteerMatches), so the distance is from the need's
 * public point, never its exact one, and coarse (coarseKm) in the text, the weight and the
 * score alike: no one can trilaterate the need's door or the volunteer's home from it.
 */
export function scoreMatch(
  need: Pick<Need, 'category' | 'publicLat' | 'publicLng' | 'neededFrom'>,
  volunteer: Pick<User, 'skills' | 'homeLat' | 'homeLng' | 'homeArea' | 'availableDays' | 'availableFromHour' | 'availableToHour'>,
  liveClaims: number,
  now: Date,
  /** The most live claims a volunteer may hold (rules.claims.maxActivePerVolunteer). */
  maxActive: number,
): { score: number; reasons: Reason[] } {
  const reasons: Reason[] = [];
  let tooFar = false;
  if (volunteer.skills.includes(need.category)) reasons.push({ code: 'SKILL', text: `Has the skill ${need.category}`, weight: WEIGHTS.skill });
  if (volunteer.homeLat != null && volunteer.homeLng != null) {
    const km = coarseKm(distanceKm({ lat: need.publicLat, lng: need.publicLng }, { lat: volunteer.homeLat, lng: volunteer.homeLng }));
    const w = WEIGHTS.distance * Math.max(0, 1 - km / FAR_KM);
    reasons.push({ code: 'DISTANCE', text: `about ${km.toFixed(1)} km from home${volunteer.homeArea ? ` (${volunteer.homeArea})` : ''}`, weight: Math.round(w * 1000) / 1000 });
    tooFar = km > FAR_KM;
  } else {
    reasons.push({ code: 'NO_HOME', text: 'No home area given', weight: 0 });
  }
  const when = need.neededFrom && need.neededFrom > now ? need.neededFrom : now;
  if (isAvailable(volunteer, when)) reasons.push({ code: 'AVAILABLE', text: 'Available at that time', weight: WEIGHTS.availability });
  else reasons.push({ code: 'UNAVAILABLE', text: 'Usually not available then', weight: 0 });
  const free = Math.max(0, 1 - liveClaims / maxActive);
  reasons.push({ code: 'LOAD', text: `${liveClaims} active claim${liveClaims === 1 ? '' : 's'}`, weight: Math.round(WEIGHTS.load * free * 1000) / 1000 });
  let score = reasons.reduce((s, r) => s + r.weight, 0);
  // Someone far away is a poor match whatever their skills: most of this help is local.
  if (tooFar) {
    reasons.push({ code: 'TOO_FAR', text: `More than ${FAR_KM} km away: score halved`, weight: -score / 2 });
    score /= 2;
  }
  return { score: Math.round(score * 1000) / 1000, reasons };
}

async function liveClaimCounts(s: Services, volunteerIds: string[]): Promise<Map<string, number>> {
  const rows = await s.prisma.claim.groupBy({ by: ['volunteerId'], where: { volunteerId: { in: volunteerIds }, status: liveClaim }, _count: true });
  return new Map(rows.map((r) => [r.volunteerId, r._count]));
}

/** Volunteers of the need's community ranked for it (coordinators only). */
export async function matchVolunteers(s: Services, viewer: Viewer, needId: string, first: number): Promise<Match<User>[]> {
  const need = await s.prisma.need.findUnique({ where: { id: needId } });
  if (!need) throw notFound('Need');
  if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('see matches for this need');
  const members = await s.prisma.user.findMany({
    where: { memberships: { some: { communityId: need.communityId, role: 'VOLUNTEER', status: 'ACTIVE' } } },
    orderBy: { id: 'asc' },
    take: 5_000,
  });
  const already = new Set(
    (await s.prisma.claim.findMany({ where: { needId, status: liveClaim }, select: { volunteerId: true } })).map((c) => c.volunteerId),
  );
  const load = await liveClaimCounts(s, members.map((m) => m.id));
  const asks = hasRequirements(needRequirements(need));
  const vetting = asks ? await vettingOfMembers(s.prisma, need.communityId, members.map((m) => m.id)) : new Map();
  const now = s.clock.now();
  return members
    .filter((m) => !already.has(m.id) && (load.get(m.id) ?? 0) < s.rules.claims.maxActivePerVolunteer)
    .map((m) => withVetting({ subject: m, ...scoreMatch(need, m, load.get(m.id) ?? 0, now, s.rules.claims.maxActivePerVolunteer) }, asks, missingForNeed(need, vetting.get(m.id), now)))
    .sort((a, b) => byVettedThenScore(a, b) || a.subject.name.localeCompare(b.subject.name) || byId(a.subject, b.subject))
    .slice(0, first);
}

/** Open needs of the viewer's communities ranked for the viewer. */
export async function suggestedNeeds(s: Services, viewer: Viewer, first: number): Promise<Match<Need>[]> {
  const me = await s.prisma.user.findUniqueOrThrow({ where: { id: viewer.id } });
  const communities = [...viewer.roles.keys()];
  const needs = await s.prisma.need.findMany({
    where: { communityId: { in: communities }, status: 'OPEN', mergedIntoId: null },
    orderBy: needsUrgentFirst,
    take: 2_000,
  });
  const load = (await liveClaimCounts(s, [viewer.id])).get(viewer.id) ?? 0;
  const vetting = await vettingByCommunity(s.prisma, viewer.id);
  const now = s.clock.now();
  const urgencyBonus = { CRITICAL: 0.1, HIGH: 0.05, NORMAL: 0, LOW: 0 } as const;
  return needs
    .map((n) => {
      const m = scoreMatch(n, me, load, now, s.rules.claims.maxActivePerVolunteer);
      const match = { subject: n, score: Math.round((m.score + urgencyBonus[n.urgency]) * 1000) / 1000, reasons: m.reasons };
      return withVetting(match, hasRequirements(needRequirements(n)), missingForNeed(n, vetting.get(n.communityId), now));
    })
    .sort((a, b) => byVettedThenScore(a, b) || byId(a.subject, b.subject))
    .slice(0, first);
}

/** "One click to notify": tells a volunteer of the community that a need could use them. */
export async function askVolunteer(s: Services, viewer: Viewer, needId: string, volunteerId: string): Promise<boolean> {
  const need = await s.prisma.need.findUnique({ where: { id: needId } });
  if (!need) throw notFound('Need');
  if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('ask volunteers to help with this need');
  const member = await s.prisma.membership.findUnique({ where: { userId_communityId: { userId: volunteerId, communityId: need.communityId } } });
  if (member?.status !== 'ACTIVE') throw notFound('Volunteer');
  await commit(s, (_tx, w) =>
    notify(w, [volunteerId], 'ASKED_TO_HELP', need, {
      title: text('notify.askedToHelp.title', { name: viewer.name, title: need.title }),
      body: text('notify.askedToHelp.body'),
    }),
  );
  return true;
}
