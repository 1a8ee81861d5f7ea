import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import { viewer } from '../auth/viewers.fixture.ts';
import type { Services } from '../services.ts';
import {
  canExportPrivate,
  canSeeClaim,
  canSeeDraft,
  canSeeEventReason,
  canSeeHandover,
  canSeeNotification,
  canSeePersonalDetails,
  canSeeMemberContact,
  canSeePrivate,
  communitiesInView,
  exportPrivateColumns,
  mayEraseRequesterData,
  operatorWindowStart,
  seesPrivateDetails,
  tookInRecently,
  mayRequestCallback,
  privateColumnsFor,
  readMemberContact,
  readPrivateDetails,
  seesRequesterContact,
  viewerCanSeeClaim,
  viewerCanSeeEventReason,
  viewerCanSeePrivate,
} from './privacy.ts';

// One need in Sderot; 'vol1' holds a live claim on it, 'vol2' is a member with none.
const need = { id: 'n1', communityId: 'sderot' };
const claim = { volunteerId: 'vol1', needId: 'n1' };
const handover = { requestedById: 'vol3', holderId: 'vol1', needId: 'n1' };
const event = { communityId: 'sderot', actorId: 'coord-other', claimId: 'c1' };

const NONE: ReadonlySet<string> = new Set();
const anonymous = { viewer: null, live: NONE };
const admin = { viewer: viewer([], true, 'admin'), live: NONE };
const coordinator = { viewer: viewer([['sderot', 'COORDINATOR']], false, 'coord'), live: NONE };
const coordinatorElsewhere = { viewer: viewer([['beeri', 'COORDINATOR']], false, 'coord-beeri'), live: NONE };
const volunteerWithClaim = { viewer: viewer([['sderot', 'VOLUNTEER']], false, 'vol1'), live: new Set(['n1']) as ReadonlySet<string> };
const volunteerWithoutClaim = { viewer: viewer([['sderot', 'VOLUNTEER']], false, 'vol2'), live: NONE };
/** A hotline operator of the centre 'ops', which covers Sderot (as auth/roles.ts grants it); the need is not one they took in. */
const operator = { viewer: { ...viewer([['ops', 'HOTLINE_OPERATOR']], false, 'op1'), operatesFor: new Set(['ops', 'sderot']) }, live: NONE };

type Answers = {
  /** The need's exact place and requester. */
  private: boolean;
  /** vol1's claim on it. */
  claim: boolean;
  /** vol3's request to take vol1's claim over. */
  handover: boolean;
  /** The reason of an event on vol1's claim, written by another coordinator. */
  eventReason: boolean;
  /** vol1's e-mail, phone and home. */
  personal: boolean;
  /** A notification for vol1. */
  notification: boolean;
  /** A text routed to Sderot, and its number. */
  draft: boolean;
  /** A text routed nowhere yet: admins only (an operations centre's operators see the texts of their centre's communities, not unrouted ones). */
  unroutedDraft: boolean;
  /** The need's private columns in an export. */
  export: boolean;
};

const table: [string, { viewer: Viewer | null; live: ReadonlySet<string> }, Answers][] = [
  ['anonymous', anonymous, { private: false, claim: false, handover: false, eventReason: false, personal: false, notification: false, draft: false, unroutedDraft: false, export: false }],
  ['an admin', admin, { private: true, claim: true, handover: true, eventReason: true, personal: true, notification: false, draft: true, unroutedDraft: true, export: true }],
  ['a coordinator of the community', coordinator, { private: true, claim: true, handover: true, eventReason: true, personal: false, notification: false, draft: true, unroutedDraft: false, export: true }],
  ['a coordinator of another community', coordinatorElsewhere, { private: false, claim: false, handover: false, eventReason: false, personal: false, notification: false, draft: false, unroutedDraft: false, export: false }],
  ['a member volunteer with a live claim', volunteerWithClaim, { private: true, claim: true, handover: true, eventReason: true, personal: true, notification: true, draft: false, unroutedDraft: false, export: false }],
  ['a member volunteer without a live claim', volunteerWithoutClaim, { private: false, claim: false, handover: false, eventReason: false, personal: false, notification: false, draft: false, unroutedDraft: false, export: false }],
  ["a hotline operator of a centre covering the community (a need they did not take in)", operator, { private: false, claim: false, handover: false, eventReason: false, personal: false, notification: false, draft: true, unroutedDraft: false, export: false }],
];

describe.each(table)('%s', (_label, who, answers) => {
  const v = who.viewer;
  it(`sees private details: ${answers.private}`, () => expect(canSeePrivate(v, need, who.live)).toBe(answers.private));
  it(`sees the claim: ${answers.claim}`, () => expect(canSeeClaim(v, claim, 'sderot')).toBe(answers.claim));
  it(`sees the handover request: ${answers.handover}`, () => expect(canSeeHandover(v, handover, 'sderot')).toBe(answers.handover));
  it(`sees the event's reason: ${answers.eventReason}`, () => expect(canSeeEventReason(v, event, 'vol1')).toBe(answers.eventReason));
  it(`sees vol1's personal details: ${answers.personal}`, () => expect(canSeePersonalDetails(v, { id: 'vol1' })).toBe(answers.personal));
  it(`sees the community's draft: ${answers.draft}`, () => expect(canSeeDraft(v, { communityId: 'sderot' })).toBe(answers.draft));
  it(`sees vol1's notification: ${answers.notification}`, () => expect(canSeeNotification(v, { userId: 'vol1' })).toBe(answers.notification));
  it(`sees an unrouted draft: ${answers.unroutedDraft}`, () => expect(canSeeDraft(v, { communityId: null })).toBe(answers.unroutedDraft));
  it(`exports private columns: ${answers.export}`, () => expect(canExportPrivate(v, need)).toBe(answers.export));

  it('gets the same answer for private details when the live claims are loaded only on demand', async () => {
    let loads = 0;
    const load = async () => (loads++, who.live);
    expect(await viewerCanSeePrivate(v, need, load)).toBe(answers.private);
    // Anonymous and coordinators are decided without the viewer's claims.
    expect(loads).toBe(v && !canSeePrivate(v, need, NONE) ? 1 : 0);
  });
});

/** Services whose database answers the need's community and a claim's volunteer, and counts the questions. */
function countingServices() {
  const queries: string[] = [];
  const s = {
    prisma: {
      need: { findUnique: async () => (queries.push('need'), { communityId: 'sderot' }) },
      claim: { findUnique: async () => (queries.push('claim'), { volunteerId: 'vol1' }) },
    },
  } as unknown as Services;
  return { s, queries };
}

describe('viewerCanSeeClaim', () => {
  it.each([
    ['anonymous', anonymous.viewer, false, 0],
    ['the volunteer', volunteerWithClaim.viewer, true, 0],
    ['an admin', admin.viewer, true, 0],
    ['a coordinator of the community (reads the need)', coordinator.viewer, true, 1],
    ['a coordinator of another community (reads the need)', coordinatorElsewhere.viewer, false, 1],
    ['another volunteer (reads the need)', volunteerWithoutClaim.viewer, false, 1],
  ])('%s → %s, in %s queries', async (_label, v, ok, count) => {
    const { s, queries } = countingServices();
    expect(await viewerCanSeeClaim(s, v, claim)).toBe(ok);
    expect(queries).toHaveLength(count);
  });
});

describe('viewerCanSeeEventReason', () => {
  it.each([
    ['no reason, anonymous', anonymous.viewer, event, false, true, 0],
    ['anonymous', anonymous.viewer, event, true, false, 0],
    ['a coordinator of the community', coordinator.viewer, event, true, true, 0],
    ['the one who acted', volunteerWithoutClaim.viewer, { ...event, actorId: 'vol2' }, true, true, 0],
    ["the claim's volunteer (reads the claim)", volunteerWithClaim.viewer, event, true, true, 1],
    ['another volunteer (reads the claim)', volunteerWithoutClaim.viewer, event, true, false, 1],
    ['another volunteer, an event without a claim', volunteerWithoutClaim.viewer, { ...event, claimId: null }, true, false, 0],
  ])('%s → %s', async (_label, v, e, hasReason, ok, count) => {
    const { s, queries } = countingServices();
    expect(await viewerCanSeeEventReason(s, v, e, hasReason)).toBe(ok);
    expect(queries).toHaveLength(count);
  });
});

describe('communitiesInView', () => {
  const both = viewer([['sderot', 'COORDINATOR'], ['beeri', 'COORDINATOR'], ['ofakim', 'VOLUNTEER']]);
  it.each([
    ['an admin, asking for nothing in particular: every community', admin.viewer, undefined, null],
    ['an admin, asking for one', admin.viewer, ['beeri'], ['beeri']],
    ['a coordinator, asking for nothing in particular: theirs', coordinator.viewer, [], ['sderot']],
    ['a coordinator of two: both, not where they volunteer', both, undefined, ['sderot', 'beeri']],
    ['a coordinator of two, asking for one', both, ['beeri'], ['beeri']],
    ['a volunteer: none', volunteerWithClaim.viewer, undefined, []],
  ])('%s', (_label, v, requested, ids) => {
    expect(communitiesInView(v, requested)).toEqual(ids);
  });

  it.each([
    ['a community they do not coordinate', coordinator.viewer, ['beeri']],
    ['one too many', coordinator.viewer, ['sderot', 'beeri']],
    ['one they volunteer in', both, ['ofakim']],
  ])('refuses %s', (_label, v, requested) => {
    expect(() => communitiesInView(v, requested)).toThrow(
      expect.objectContaining({ message: "You are not allowed to see the dashboard of a community you don't coordinate.", extensions: { code: 'FORBIDDEN' } }),
    );
  });
});

describe('the access log', () => {
  const at = new Date('2026-03-01T10:00:00Z');
  const row = (id: string, communityId: string) => ({ id, communityId, contactConsent: false, lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: '+972500000000', requesterEmail: null });
  function loggingServices() {
    const logged: { needId: string; userId: string; at: Date }[] = [];
    const s = {
      clock: { now: () => at },
      rules: { intake: { operatorPrivateHours: 24 } },
      prisma: {
        privateAccessLog: {
          create: async ({ data }: { data: (typeof logged)[number] }) => void logged.push(data),
          createMany: async ({ data }: { data: typeof logged }) => void logged.push(...data),
        },
      },
    } as unknown as Services;
    return { s, logged };
  }

  it('logs a read of private details, by whom and when', async () => {
    const { s, logged } = loggingServices();
    const details = await readPrivateDetails(s, coordinator.viewer, row('n1', 'sderot'));
    expect(details).toEqual({ needId: 'n1', lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: '+972500000000', requesterEmail: null, contactShared: true });
    expect(logged).toEqual([{ needId: 'n1', userId: 'coord', at }]);
  });

  it('gives an export the private columns of the needs the viewer coordinates, and logs each of them, only them', async () => {
    const { s, logged } = loggingServices();
    const columns = await exportPrivateColumns(s, coordinator.viewer, [row('n1', 'sderot'), row('n2', 'beeri'), row('n3', 'sderot')]);
    expect([...columns.keys()]).toEqual(['n1', 'n3']);
    expect(columns.get('n1')).toEqual({ lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: '+972500000000', requesterEmail: null, contactConsent: false });
    expect(logged.map((l) => [l.needId, l.userId])).toEqual([['n1', 'coord'], ['n3', 'coord']]);
  });

  it('writes nothing when no need in the batch may be shown', async () => {
    const { s, logged } = loggingServices();
    expect((await exportPrivateColumns(s, coordinatorElsewhere.viewer, [row('n1', 'sderot')])).size).toBe(0);
    expect(logged).toEqual([]);
  });
});

describe("the requester's contact (consent)", () => {
  const withConsent = { ...need, contactConsent: true };
  const without = { ...need, contactConsent: false };
  // [who, sees the phone and e-mail with consent, without, may ask for a call-back without]
  it.each([
    ['anonymous', anonymous, false, false, false],
    ['an admin', admin, true, true, false],
    ['a coordinator of the community', coordinator, true, true, false],
    ['a coordinator of another community', coordinatorElsewhere, false, false, false],
    ['the volunteer holding the claim', volunteerWithClaim, true, false, true],
    ['a volunteer without a claim', volunteerWithoutClaim, false, false, false],
  ] as const)('%s: with consent %s, without %s, call-back %s', (_label, who, consented, notConsented, callback) => {
    const holds = who.live.has(need.id);
    expect(seesRequesterContact(who.viewer, withConsent, holds)).toBe(consented);
    expect(seesRequesterContact(who.viewer, without, holds)).toBe(notConsented);
    expect(mayRequestCallback(who.viewer, without, holds)).toBe(callback);
    expect(mayRequestCallback(who.viewer, withConsent, holds)).toBe(false);
  });

  const row = { id: 'n1', communityId: 'sderot', lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: '+972500000000', requesterEmail: 'r@example.org' };

  it('gives the claimant without consent the name, address and place, but no phone or e-mail', () => {
    expect(privateColumnsFor(volunteerWithClaim.viewer!, { ...row, contactConsent: false })).toEqual({
      lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: null, requesterEmail: null, contactShared: false,
    });
  });

  it('gives the claimant with consent, and the coordinator either way, the phone and e-mail', () => {
    expect(privateColumnsFor(volunteerWithClaim.viewer!, { ...row, contactConsent: true })).toMatchObject({ requesterPhone: '+972500000000', requesterEmail: 'r@example.org', contactShared: true });
    expect(privateColumnsFor(coordinator.viewer!, { ...row, contactConsent: false })).toMatchObject({ requesterPhone: '+972500000000', requesterEmail: 'r@example.org', contactShared: true });
  });

  it('lets only admins erase a requester\'s data at once', () => {
    expect([anonymous, admin, coordinator, coordinatorElsewhere, volunteerWithClaim].map((w) => mayEraseRequesterData(w.viewer))).toEqual([false, true, false, false, false]);
  });
});

describe("a member's contact details (vol1, through Sderot)", () => {
  const active = { status: 'ACTIVE' as const };
  it.each([
    ['anonymous', anonymous.viewer, active, false],
    ['vol1 themself', volunteerWithClaim.viewer, null, true],
    ['an admin', admin.viewer, null, true],
    ['a coordinator of the community, vol1 active', coordinator.viewer, active, true],
    ['a coordinator of the community, vol1 pending', coordinator.viewer, { status: 'PENDING' as const }, true],
    ['a coordinator of the community, vol1 declined', coordinator.viewer, { status: 'DECLINED' as const }, false],
    ['a coordinator of the community, vol1 no member', coordinator.viewer, null, false],
    ['a coordinator of another community', coordinatorElsewhere.viewer, active, false],
    ['another volunteer of the community', volunteerWithoutClaim.viewer, active, false],
  ])('%s → %s', (_label, v, membership, expected) => {
    expect(canSeeMemberContact(v, { id: 'vol1' }, 'sderot', membership as { status: 'ACTIVE' | 'PENDING' | 'DECLINED' } | null)).toBe(expected);
  });

  it('is logged for a coordinator and not for the member themself; refused unlogged otherwise', async () => {
    const logged: unknown[] = [];
    const s = {
      clock: { now: () => new Date(0) },
      prisma: {
        membership: { findUnique: async () => ({ status: 'ACTIVE', user: { email: 'vol1@example.org', phone: '+972-50-000-0000' } }) },
        contactAccessLog: { create: async (a: { data: unknown }) => void logged.push(a.data) },
      },
    } as unknown as Services;
    expect(await readMemberContact(s, coordinator.viewer, 'sderot', 'vol1')).toEqual({ userId: 'vol1', email: 'vol1@example.org', phone: '+972-50-000-0000' });
    expect(logged).toEqual([{ subjectId: 'vol1', readerId: 'coord', communityId: 'sderot', at: new Date(0) }]);
    await readMemberContact(s, viewer([['sderot', 'VOLUNTEER']], false, 'vol1'), 'sderot', 'vol1');
    expect(logged).toHaveLength(1);
    await expect(readMemberContact(s, coordinatorElsewhere.viewer, 'sderot', 'vol1')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(logged).toHaveLength(1);
  });
});

describe("the hotline operator's window", () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const hours = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const windowStart = operatorWindowStart({ clock: { now: () => now }, rules: { intake: { operatorPrivateHours: 24 } } } as unknown as Services);
  const tookIn = (createdAt: Date, createdById = 'op1', communityId = 'sderot') => ({ id: 'n9', communityId, createdById, createdAt, contactConsent: false });

  it('starts 24 hours before now, by the domain clock', () => expect(windowStart).toEqual(hours(24)));

  it.each([
    ['a need they took in a minute ago', operator.viewer, tookIn(hours(0.02)), true],
    ['a need they took in 23 h 59 min ago', operator.viewer, tookIn(hours(24 - 1 / 60)), true],
    ['a need they took in exactly 24 h ago', operator.viewer, tookIn(hours(24)), false],
    ['a need they took in 25 h ago', operator.viewer, tookIn(hours(25)), false],
    ['a need another operator took in', operator.viewer, tookIn(hours(1), 'op2'), false],
    ['a need of a community they no longer answer for', operator.viewer, tookIn(hours(1), 'op1', 'beeri'), false],
    ['after losing the role (no longer operating anywhere)', { ...operator.viewer, operatesFor: new Set<string>() }, tookIn(hours(1)), false],
    ['a volunteer who created it (no operator)', viewer([['sderot', 'VOLUNTEER']], false, 'op1'), tookIn(hours(1)), false],
  ])('%s: %s', (_label, v, need, ok) => {
    expect(tookInRecently(v, need, windowStart)).toBe(ok);
    expect(seesPrivateDetails(v, need, false, windowStart)).toBe(ok);
    expect(canSeePrivate(v, need, NONE, windowStart)).toBe(ok);
    // The caller gave the operator their number: within the window, the contact too, consent or not.
    expect(seesRequesterContact(v, need, false, windowStart)).toBe(ok);
  });

  it('opens nothing when the row does not say who took it in, or no window is given', () => {
    expect(seesPrivateDetails(operator.viewer, { communityId: 'sderot' }, false, windowStart)).toBe(false);
    expect(seesPrivateDetails(operator.viewer, tookIn(hours(1)), false)).toBe(false);
  });

  it('never exports them: exports are for coordinators', () => expect(canExportPrivate(operator.viewer, tookIn(hours(1)))).toBe(false));

  it('gives the operator the requester contact in their private columns', () => {
    const row = { ...tookIn(hours(1)), lat: 31.5, lng: 34.6, address: 'Herzl 1', requesterName: 'R', requesterPhone: '+972500000000', requesterEmail: null };
    expect(privateColumnsFor(operator.viewer, row, windowStart)).toMatchObject({ requesterPhone: '+972500000000', contactShared: true });
  });
});

describe('communitiesInView for intake', () => {
  it("gives a hotline operator the centre's communities for intake, none to coordinate", () => {
    expect(communitiesInView(operator.viewer, undefined, 'intake')).toEqual(['ops', 'sderot']);
    expect(communitiesInView(operator.viewer, undefined, 'coordinate')).toEqual([]);
    expect(communitiesInView(operator.viewer, ['sderot'], 'intake')).toEqual(['sderot']);
    expect(() => communitiesInView(operator.viewer, ['sderot'], 'coordinate')).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
    expect(() => communitiesInView(operator.viewer, ['beeri'], 'intake')).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
  });
});
