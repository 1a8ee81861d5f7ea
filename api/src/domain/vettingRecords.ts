// Vetting records: a community's trainings and per-category requirements, its volunteers'
// checks and trainings, and the append-only audit of every change. Recorded by the community's
// coordinators (and admins), never by the volunteer themselves; each write locks the volunteer's
// row, as a claim does, so a claim decided at the same moment sees the vetting before or after
// the change, never half of it. The rule itself is vetting.ts.
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import type { Tx } from '../events/outbox.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { NeedCategory, type VettingChange } from '../generated/prisma/enums.ts';
import type { Need } from '../generated/prisma/client.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { lockUser } from './locks.ts';
import {
  DEFAULT_TRAININGS,
  UNVETTED,
  defaultRequirements,
  hasRequirements,
  missingForNeed,
  missingRequirements,
  needRequirements,
  notQualified,
  trainingKeyFrom,
  type Missing,
  type Requirements,
  type VettingFacts,
} from './vetting.ts';

export type Training = { key: string; name: string; retired: boolean; isDefault: boolean };
export type CategoryRequirements = Requirements & { category: NeedCategory };

// ─── Reading ─────────────────────────────────────────────────────────────────────────────────

/** A community's trainings: the defaults, as its coordinators renamed or retired them, then its own. */
export async function communityTrainings(db: Tx, communityId: string, includeRetired = false): Promise<Training[]> {
  const rows = await db.training.findMany({ where: { communityId }, orderBy: { createdAt: 'asc' } });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const defaults = DEFAULT_TRAININGS.map((d) => {
    const row = byKey.get(d.key);
    return { key: d.key, name: row?.name ?? d.name, retired: row?.retired ?? false, isDefault: true };
  });
  const own = rows.filter((r) => !DEFAULT_TRAININGS.some((d) => d.key === r.key)).map((r) => ({ key: r.key, name: r.name, retired: r.retired, isDefault: false }));
  return [...defaults, ...own].filter((t) => includeRetired || !t.retired);
}

/** What each category asks in a community: its own setting, else the default. */
export async function communityRequirements(db: Tx, communityId: string): Promise<CategoryRequirements[]> {
  const rows = await db.categoryRequirement.findMany({ where: { communityId } });
  return Object.values(NeedCategory).map((category) => {
    const row = rows.find((r) => r.category === category);
    return { category, ...(row ? { identityCheck: row.identityCheck, backgroundCheck: row.backgroundCheck, trainings: row.trainings } : defaultRequirements(category)) };
  });
}

/** What a new need of `category` asks in the community, unless intake says otherwise. */
export async function requirementsFor(db: Tx, communityId: string, category: NeedCategory): Promise<Requirements> {
  const row = await db.categoryRequirement.findUnique({ where: { communityId_category: { communityId, category } } });
  return row ? { identityCheck: row.identityCheck, backgroundCheck: row.backgroundCheck, trainings: row.trainings } : defaultRequirements(category);
}

/** Requirements may name only trainings the community offers (not retired). */
export async function assertKnownTrainings(db: Tx, communityId: string, r: Requirements, field = 'requirements.trainings'): Promise<void> {
  if (r.trainings.length === 0) return;
  const offered = new Set((await communityTrainings(db, communityId)).map((t) => t.key));
  const unknown = r.trainings.filter((k) => !offered.has(k));
  if (unknown.length) throw badInput(`This community has no training ${unknown.join(', ')} (or it was retired).`, field);
}

type RecordRow = { userId: string; communityId: string; identityCheckedAt: Date | null; backgroundCheckedAt: Date | null; backgroundExpiresAt: Date | null };
type CompletionRow = { userId: string; communityId: string; trainingKey: string; completedAt: Date; expiresAt: Date | null };

const factsOf = (record: RecordRow | undefined, completions: CompletionRow[]): VettingFacts => ({
  identityCheckedAt: record?.identityCheckedAt ?? null,
  backgroundCheckedAt: record?.backgroundCheckedAt ?? null,
  backgroundExpiresAt: record?.backgroundExpiresAt ?? null,
  trainings: completions.map((c) => ({ key: c.trainingKey, completedAt: c.completedAt, expiresAt: c.expiresAt })),
});

/** Vetting facts for pairs of (user, community), keyed `${userId}:${communityId}`: two queries. */
async function factsWhere(db: Tx, where: { userId?: string | { in: string[] }; communityId?: string }): Promise<Map<string, VettingFacts>> {
  const [records, completions] = await Promise.all([db.vettingRecord.findMany({ where }), db.trainingCompletion.findMany({ where })]);
  const keys = new Set([...records, ...completions].map((r) => `${r.userId}:${r.communityId}`));
  return new Map(
    [...keys].map((k) => [
      k,
      factsOf(
        records.find((r) => `${r.userId}:${r.communityId}` === k),
        completions.filter((c) => `${c.userId}:${c.communityId}` === k),
      ),
    ]),
  );
}

/** One volunteer's vetting in one community. */
export async function vettingFacts(db: Tx, userId: string, communityId: string): Promise<VettingFacts> {
  return (await factsWhere(db, { userId, communityId })).get(`${userId}:${communityId}`) ?? UNVETTED;
}

/**
 * A user's vetting in each community, by community id: the viewer's, once per request that asks
 * (Need.viewerCan on a board of needs that ask for vetting), in one statement.
 */
export async function vettingByCommunity(db: Tx, userId: string): Promise<ReadonlyMap<string, VettingFacts>> {
  type Row = { communityId: string; trainingKey: string | null; identityCheckedAt: Date | null; backgroundCheckedAt: Date | null; backgroundExpiresAt: Date | null; completedAt: Date | null; expiresAt: Date | null };
  const rows = await db.$queryRaw<Row[]>`
    SELECT "communityId"::text AS "communityId", NULL::text AS "trainingKey", "identityCheckedAt", "backgroundCheckedAt", "backgroundExpiresAt",
           NULL::timestamp(3) AS "completedAt", NULL::timestamp(3) AS "expiresAt"
      FROM "VettingRecord" WHERE "userId" = ${userId}::uuid
    UNION ALL
    SELECT "communityId"::text, "trainingKey", NULL, NULL, NULL, "completedAt", "expiresAt"
      FROM "TrainingCompletion" WHERE "userId" = ${userId}::uuid`;
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  const byCommunity = new Map<string, { record?: RecordRow; completions: CompletionRow[] }>();
  for (const r of rows) {
    const entry = byCommunity.get(r.communityId) ?? { completions: [] };
    if (r.trainingKey === null) {
      entry.record = { userId, communityId: r.communityId, identityCheckedAt: date(r.identityCheckedAt), backgroundCheckedAt: date(r.backgroundCheckedAt), backgroundExpiresAt: date(r.backgroundExpiresAt) };
    } else {
      entry.completions.push({ userId, communityId: r.communityId, trainingKey: r.trainingKey, completedAt: date(r.completedAt)!, expiresAt: date(r.expiresAt) });
    }
    byCommunity.set(r.communityId, entry);
  }
  return new Map([...byCommunity].map(([communityId, e]) => [communityId, factsOf(e.record, e.completions)]));
}

/** The vetting of some members of one community, by user id. */
export async function vettingOfMembers(db: Tx, communityId: string, userIds: string[]): Promise<ReadonlyMap<string, VettingFacts>> {
  const all = await factsWhere(db, { communityId, userId: { in: userIds } });
  return new Map([...all].map(([k, f]) => [k.split(':')[0]!, f]));
}

type RequirementColumns = Pick<Need, 'requiresIdentityCheck' | 'requiresBackgroundCheck' | 'requiredTrainings'>;

/**
 * Inside the claiming transaction, under the volunteer's row lock: refuses (NOT_QUALIFIED, naming
 * each thing missing) a volunteer who lacks what the need asks, at the services clock's now.
 */
export async function assertQualified(w: { tx: Tx; s: Services }, need: RequirementColumns & Pick<Need, 'communityId'>, volunteerId: string, who: 'you' | 'volunteer') {
  const missing = await missingFor(w, need, volunteerId);
  if (missing.length) throw notQualified(missing, who);
}

/** What the volunteer lacks for the need now (no query when it asks nothing). */
export async function missingFor(w: { tx: Tx; s: Services }, need: RequirementColumns & Pick<Need, 'communityId'>, volunteerId: string): Promise<Missing[]> {
  if (!hasRequirements(needRequirements(need))) return [];
  return missingForNeed(need, await vettingFacts(w.tx, volunteerId, need.communityId), w.s.clock.now());
}

// ─── Views ───────────────────────────────────────────────────────────────────────────────────

export type CategoryLack = { category: NeedCategory; missing: Missing[] };
export type VolunteerVetting = VettingFacts & {
  userId: string;
  communityId: string;
  volunteerName: string;
  /** Who checked the identity (a coordinator's name). */
  identityCheckedBy: string | null;
  /** Per category whose work asks for vetting in this community: what this volunteer lacks (only those lacking something). */
  lacks: CategoryLack[];
};

async function userNames(db: Tx, ids: string[]): Promise<Map<string, string>> {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

async function vettingViews(s: Services, communityId: string, userIds: string[]): Promise<VolunteerVetting[]> {
  const db = s.prisma;
  const [facts, records, requirements] = await Promise.all([
    vettingOfMembers(db, communityId, userIds),
    db.vettingRecord.findMany({ where: { communityId, userId: { in: userIds } }, select: { userId: true, identityCheckedById: true } }),
    communityRequirements(db, communityId),
  ]);
  const names = await userNames(db, [...userIds, ...records.flatMap((r) => (r.identityCheckedById ? [r.identityCheckedById] : []))]);
  const now = s.clock.now();
  return userIds.map((userId) => {
    const f = facts.get(userId) ?? UNVETTED;
    const lacks = requirements
      .filter(hasRequirements)
      .map((r) => ({ category: r.category, missing: missingRequirements(r, f, now) }))
      .filter((l) => l.missing.length > 0);
    const checker = records.find((r) => r.userId === userId)?.identityCheckedById;
    return { ...f, userId, communityId, volunteerName: names.get(userId) ?? '', identityCheckedBy: checker ? (names.get(checker) ?? null) : null, lacks };
  });
}

/** A member's vetting: the member themselves and the community's coordinators. */
export async function memberVetting(s: Services, viewer: Viewer, userId: string, communityId: string): Promise<VolunteerVetting> {
  if (viewer.id !== userId && !isCoordinatorOf(viewer, communityId)) throw forbidden("see this volunteer's vetting");
  return (await vettingViews(s, communityId, [userId]))[0]!;
}

/** Every member's vetting, for the community's coordinators. */
export async function communityVetting(s: Services, viewer: Viewer, communityId: string): Promise<VolunteerVetting[]> {
  if (!isCoordinatorOf(viewer, communityId)) throw forbidden("see this community's vetting records");
  const members = await s.prisma.membership.findMany({ where: { communityId }, select: { userId: true }, take: 5_000 });
  const views = await vettingViews(s, communityId, members.map((m) => m.userId));
  return views.sort((a, b) => a.volunteerName.localeCompare(b.volunteerName));
}

/** The audit of a community's vetting, newest first, for its coordinators. */
export async function vettingEvents(s: Services, viewer: Viewer, communityId: string, volunteerId: string | null, first: number) {
  if (!isCoordinatorOf(viewer, communityId)) throw forbidden("see this community's vetting history");
  const rows = await s.prisma.vettingEvent.findMany({
    where: { communityId, ...(volunteerId ? { volunteerId } : {}) },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: first,
  });
  const names = await userNames(s.prisma, rows.flatMap((r) => [r.actorId, ...(r.volunteerId ? [r.volunteerId] : [])]));
  return rows.map((r) => ({ ...r, actorName: names.get(r.actorId) ?? '', volunteerName: r.volunteerId ? (names.get(r.volunteerId) ?? '') : null }));
}

// ─── Writing ─────────────────────────────────────────────────────────────────────────────────

type Audit = { change: VettingChange; volunteerId: string | null; detail: Record<string, string | boolean | string[] | null> };

/** A write by a coordinator of the community (or an admin), with its audit rows, in one transaction. */
async function vettingWrite<T>(s: Services, viewer: Viewer, communityId: string, what: string, work: (tx: Tx, at: Date, audit: (a: Audit) => void) => Promise<T>): Promise<T> {
  if (!isCoordinatorOf(viewer, communityId)) throw forbidden(what);
  const community = await s.prisma.community.findUnique({ where: { id: communityId }, select: { id: true } });
  if (!community) throw notFound('Community');
  return commit(s, async (tx) => {
    const at = s.clock.now();
    const audits: Audit[] = [];
    const result = await work(tx, at, (a) => audits.push(a));
    await tx.vettingEvent.createMany({
      data: audits.map((a) => ({ communityId, volunteerId: a.volunteerId, actorId: viewer.id, change: a.change, detail: a.detail, at })),
    });
    return result;
  });
}

export type RecordVettingInput = {
  communityId: string;
  volunteerId: string;
  /** true: identity checked now, by the viewer; false: the check is withdrawn. */
  identityChecked?: boolean | null;
  backgroundCheck?: { checkedAt: Date; expiresAt: Date } | null;
  clearBackgroundCheck?: boolean | null;
  trainings?: { key: string; completedAt: Date; expiresAt?: Date | null }[] | null;
  clearTrainings?: string[] | null;
};

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** Records checks and trainings of a member of the community; each part that changes is audited. */
export async function recordVetting(s: Services, viewer: Viewer, input: RecordVettingInput): Promise<VolunteerVetting> {
  const { communityId, volunteerId } = input;
  if (viewer.id === volunteerId && !viewer.isAdmin) throw forbidden('record your own vetting: another coordinator of the community does');
  await vettingWrite(s, viewer, communityId, "record this community's vetting", async (tx, at, audit) => {
    await lockUser(tx, volunteerId);
    const member = await tx.membership.findUnique({ where: { userId_communityId: { userId: volunteerId, communityId } }, select: { userId: true } });
    if (!member) throw badInput('The volunteer is not a member of this community.', 'volunteerId');
    const key = { userId_communityId: { userId: volunteerId, communityId } };
    type Columns = { identityCheckedAt?: Date | null; identityCheckedById?: string | null; backgroundCheckedAt?: Date | null; backgroundExpiresAt?: Date | null; backgroundRecordedById?: string | null };
    const upsert = (data: Columns) => tx.vettingRecord.upsert({ where: key, update: data, create: { userId: volunteerId, communityId, ...data } });
    if (input.identityChecked === true) {
      await upsert({ identityCheckedAt: at, identityCheckedById: viewer.id });
      audit({ change: 'IDENTITY_CHECKED', volunteerId, detail: {} });
    } else if (input.identityChecked === false) {
      await upsert({ identityCheckedAt: null, identityCheckedById: null });
      audit({ change: 'IDENTITY_CLEARED', volunteerId, detail: {} });
    }
    if (input.backgroundCheck) {
      const { checkedAt, expiresAt } = input.backgroundCheck;
      if (expiresAt <= checkedAt) throw badInput('The background check must expire after it was done.', 'backgroundCheck.expiresAt');
      if (checkedAt > at) throw badInput('The background check cannot be dated in the future.', 'backgroundCheck.checkedAt');
      await upsert({ backgroundCheckedAt: checkedAt, backgroundExpiresAt: expiresAt, backgroundRecordedById: viewer.id });
      audit({ change: 'BACKGROUND_CHECK_RECORDED', volunteerId, detail: { checkedAt: day(checkedAt), expiresAt: day(expiresAt) } });
    } else if (input.clearBackgroundCheck) {
      await upsert({ backgroundCheckedAt: null, backgroundExpiresAt: null, backgroundRecordedById: null });
      audit({ change: 'BACKGROUND_CHECK_CLEARED', volunteerId, detail: {} });
    }
    if (input.trainings?.length) {
      const known = new Set((await communityTrainings(tx, communityId)).map((t) => t.key));
      for (const t of input.trainings) {
        if (!known.has(t.key)) throw badInput(`This community has no training ${t.key} (or it was retired).`, 'trainings.key');
        if (t.expiresAt && t.expiresAt <= t.completedAt) throw badInput('A training must expire after it was completed.', 'trainings.expiresAt');
        if (t.completedAt > at) throw badInput('A training cannot be dated in the future.', 'trainings.completedAt');
        const data = { completedAt: t.completedAt, expiresAt: t.expiresAt ?? null, recordedById: viewer.id };
        await tx.trainingCompletion.upsert({
          where: { userId_communityId_trainingKey: { userId: volunteerId, communityId, trainingKey: t.key } },
          update: data,
          create: { userId: volunteerId, communityId, trainingKey: t.key, ...data },
        });
        audit({ change: 'TRAINING_RECORDED', volunteerId, detail: { training: t.key, completedAt: day(t.completedAt), expiresAt: day(t.expiresAt) } });
      }
    }
    for (const trainingKey of input.clearTrainings ?? []) {
      const { count } = await tx.trainingCompletion.deleteMany({ where: { userId: volunteerId, communityId, trainingKey } });
      if (count) audit({ change: 'TRAINING_CLEARED', volunteerId, detail: { training: trainingKey } });
    }
  });
  return memberVetting(s, viewer, volunteerId, communityId);
}

/** Adds a training to the community's list (its key from the name unless given). */
export async function addTraining(s: Services, viewer: Viewer, communityId: string, name: string, key?: string | null): Promise<Training> {
  const k = key || trainingKeyFrom(name) || `training-${randomUUID().slice(0, 8)}`;
  return vettingWrite(s, viewer, communityId, "change this community's trainings", async (tx, _at, audit) => {
    if ((await communityTrainings(tx, communityId, true)).some((t) => t.key === k)) throw badInput(`The community already has a training ${k}.`, 'key');
    await tx.training.create({ data: { communityId, key: k, name } });
    audit({ change: 'TRAINING_ADDED', volunteerId: null, detail: { training: k, name } });
    return { key: k, name, retired: false, isDefault: false };
  });
}

/** Retires a training (no longer offered for requirements or records) or brings it back. */
export async function setTrainingRetired(s: Services, viewer: Viewer, communityId: string, key: string, retired: boolean): Promise<Training> {
  return vettingWrite(s, viewer, communityId, "change this community's trainings", async (tx, _at, audit) => {
    const training = (await communityTrainings(tx, communityId, true)).find((t) => t.key === key);
    if (!training) throw notFound('Training');
    await tx.training.upsert({
      where: { communityId_key: { communityId, key } },
      update: { retired },
      create: { communityId, key, name: training.name, retired },
    });
    audit({ change: retired ? 'TRAINING_RETIRED' : 'TRAINING_RESTORED', volunteerId: null, detail: { training: key } });
    return { ...training, retired };
  });
}

/** Sets what new needs of a category ask in the community (needs already taken in keep theirs). */
export async function setCategoryRequirements(s: Services, viewer: Viewer, communityId: string, category: NeedCategory, r: Requirements): Promise<CategoryRequirements> {
  return vettingWrite(s, viewer, communityId, "change this community's requirements", async (tx, _at, audit) => {
    await assertKnownTrainings(tx, communityId, r);
    const data = { identityCheck: r.identityCheck, backgroundCheck: r.backgroundCheck, trainings: [...new Set(r.trainings)] };
    await tx.categoryRequirement.upsert({ where: { communityId_category: { communityId, category } }, update: data, create: { communityId, category, ...data } });
    audit({ change: 'REQUIREMENTS_SET', volunteerId: null, detail: { category, identityCheck: r.identityCheck, backgroundCheck: r.backgroundCheck, trainings: data.trainings } });
    return { category, ...data };
  });
}
