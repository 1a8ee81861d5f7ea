import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { releaseExpiredClaims } from '../../api/src/domain/claims.ts';
import { Api } from '../helpers/client.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id status secondsLeft need { status openSlots } } } }`;
const claimOp = (name: string, extra = '') =>
  `mutation($id: ID!${extra ? `, ${extra}` : ''}) { ${name}(claimId: $id${extra ? `, ${extra.split(':')[0]!.slice(1)}: ${extra.split(':')[0]}` : ''}) { claim { id status need { status openSlots } } } }`;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;
let volunteers: (Api & { userId: string })[];

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  volunteers = [];
  for (let i = 0; i < 4; i++) volunteers.push(await member(s.url, admin, community, 'VOLUNTEER'));
});
afterAll(async () => {
  s.app.services.clock.reset();
  await s?.stop();
});

describe('claiming under contention', () => {
  it('100 concurrent claims on a one-slot need: exactly one wins, 99 typed conflicts, one claim event', async () => {
    const need = await createNeed(coordinator, community);
    // 100 distinct volunteers, all signed in and members, then all claim at once.
    const racers: Api[] = [];
    for (let i = 0; i < 100; i++) racers.push(await member(s.url, admin, community, 'VOLUNTEER', `racer${i}`));
    const results = await Promise.all(racers.map((r) => r.gql(CLAIM, { id: need.id })));
    const wins = results.filter((r) => r.data?.claimNeed);
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions?.code === 'CLAIM_CONFLICT');
    expect(wins).toHaveLength(1);
    expect(conflicts).toHaveLength(99);
    expect(conflicts[0]!.errors![0]!.message).toMatch(/someone else claimed/i);
    const needId = uuidOf(need.id);
    expect(await s.app.services.prisma.claim.count({ where: { needId, status: 'ACTIVE' } })).toBe(1);
    expect(await s.app.services.prisma.needEvent.count({ where: { needId, type: 'CLAIMED' } })).toBe(1);
    const row = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: needId } });
    expect(row).toMatchObject({ status: 'CLAIMED', activeClaims: 1 });
  }, 120_000);

  it('a need with 3 slots takes exactly 3 of 20 concurrent claims', async () => {
    const need = await createNeed(coordinator, community, { slots: 3, category: 'AGRICULTURE' });
    const racers: Api[] = [];
    for (let i = 0; i < 20; i++) racers.push(await member(s.url, admin, community, 'VOLUNTEER', `picker${i}`));
    const results = await Promise.all(racers.map((r) => r.gql(CLAIM, { id: need.id })));
    expect(results.filter((r) => r.data?.claimNeed)).toHaveLength(3);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CLAIM_CONFLICT')).toHaveLength(17);
    const row = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(need.id) } });
    expect(row).toMatchObject({ status: 'CLAIMED', activeClaims: 3 });
  }, 60_000);
});

describe('the state machine', () => {
  it('walks OPEN → CLAIMED → IN_PROGRESS → DONE and records each event', async () => {
    const [v] = volunteers;
    const need = await createNeed(coordinator, community);
    expect(need.status).toBe('OPEN');
    const claimed = (await v!.ok(CLAIM, { id: need.id })).claimNeed.claim;
    expect(claimed.status).toBe('ACTIVE');
    expect(claimed.need.status).toBe('CLAIMED');
    expect(claimed.secondsLeft).toBeGreaterThan(s.app.services.rules.claims.ttlMinutes * 60 - 30);
    const started = (await v!.ok(claimOp('startClaim'), { id: claimed.id })).startClaim.claim;
    expect(started).toMatchObject({ status: 'STARTED', need: { status: 'IN_PROGRESS' } });
    const done = (await v!.ok(`mutation($id: ID!) { completeClaim(claimId: $id, note: "Delivered") { claim { status note need { status openSlots } } } }`, { id: claimed.id })).completeClaim.claim;
    // A done need has no place left to take (it used to say 1 of 1 open).
    expect(done).toMatchObject({ status: 'COMPLETED', note: 'Delivered', need: { status: 'DONE', openSlots: 0 } });
    const verified = await coordinator.ok(`mutation($id: ID!) { verifyCompletion(claimId: $id) { claim { verifiedAt need { status } } } }`, { id: claimed.id });
    expect(verified.verifyCompletion.claim.verifiedAt).toBeTruthy();
    expect(verified.verifyCompletion.claim.need.status).toBe('DONE');
    const events = await s.app.services.prisma.needEvent.findMany({ where: { needId: uuidOf(need.id) }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => `${e.type}:${e.fromStatus ?? '-'}>${e.toStatus}`)).toEqual([
      'CREATED:->OPEN',
      'CLAIMED:OPEN>CLAIMED',
      'STARTED:CLAIMED>IN_PROGRESS',
      'COMPLETED:IN_PROGRESS>DONE',
      'VERIFIED:DONE>DONE',
    ]);
  });

  it('release and unassign return the need to OPEN', async () => {
    const [v1, v2] = volunteers;
    const need = await createNeed(coordinator, community);
    const c1 = (await v1!.ok(CLAIM, { id: need.id })).claimNeed.claim;
    const released = await v1!.ok(`mutation($id: ID!) { releaseClaim(claimId: $id, reason: "Car broke down") { claim { status need { status openSlots } } } }`, { id: c1.id });
    expect(released.releaseClaim.claim).toMatchObject({ status: 'RELEASED', need: { status: 'OPEN', openSlots: 1 } });
    const assigned = await coordinator.ok(`mutation($n: ID!, $v: ID!) { assignNeed(needId: $n, volunteerId: $v) { claim { id status need { status } } } }`, { n: need.id, v: v2!.userId });
    expect(assigned.assignNeed.claim.need.status).toBe('CLAIMED');
    const unassigned = await coordinator.ok(`mutation($id: ID!) { unassignClaim(claimId: $id, reason: "Reassigning") { claim { status need { status } } } }`, { id: assigned.assignNeed.claim.id });
    expect(unassigned.unassignClaim.claim).toMatchObject({ status: 'RELEASED', need: { status: 'OPEN' } });
  });

  it('every illegal transition is a typed error naming the current state, and changes nothing', async () => {
    const [v] = volunteers;
    const need = await createNeed(coordinator, community);
    const claim = (await v!.ok(CLAIM, { id: need.id })).claimNeed.claim;
    const before = await s.app.services.prisma.needEvent.count();
    // Completing an unstarted claim, extending or starting twice, reopening a live need.
    const complete = await v!.gql(claimOp('completeClaim'), { id: claim.id });
    expect(complete.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'ACTIVE' });
    await v!.ok(claimOp('startClaim'), { id: claim.id });
    const again = await v!.gql(claimOp('startClaim'), { id: claim.id });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'STARTED' });
    const extend = await v!.gql(claimOp('extendClaim'), { id: claim.id });
    expect(extend.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'STARTED' });
    const reopen = await coordinator.gql(`mutation($id: ID!) { reopenNeed(id: $id) { need { status } } }`, { id: need.id });
    expect(reopen.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'IN_PROGRESS' });
    expect(await s.app.services.prisma.needEvent.count()).toBe(before + 1); // only the STARTED event
    // Cancel a live need: its claim is released; then claim, update, cancel again are illegal.
    const cancelled = await coordinator.ok(`mutation($id: ID!) { cancelNeed(id: $id, reason: "Family moved") { need { status } } }`, { id: need.id });
    expect(cancelled.cancelNeed.need.status).toBe('CANCELLED');
    expect((await s.app.services.prisma.claim.findUniqueOrThrow({ where: { id: uuidOf(claim.id) } })).status).toBe('RELEASED');
    for (const [op, vars, who] of [
      [CLAIM, { id: need.id }, volunteers[1]!],
      [`mutation($id: ID!) { cancelNeed(id: $id) { need { status } } }`, { id: need.id }, coordinator],
      [`mutation($id: ID!) { updateNeed(id: $id, input: { title: "x" }) { need { status } } }`, { id: need.id }, coordinator],
    ] as const) {
      const r = await who.gql(op, vars);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'CANCELLED' });
      expect(r.errors?.[0]?.message).toMatch(/cancelled/);
    }
    const reopened = await coordinator.ok(`mutation($id: ID!) { reopenNeed(id: $id) { need { status openSlots } } }`, { id: need.id });
    expect(reopened.reopenNeed.need).toMatchObject({ status: 'OPEN', openSlots: 1 });
  });

  it('only the holder may start, release or extend; others get FORBIDDEN', async () => {
    const [v1, v2] = volunteers;
    const need = await createNeed(coordinator, community);
    const claim = (await v1!.ok(CLAIM, { id: need.id })).claimNeed.claim;
    for (const op of ['startClaim', 'releaseClaim', 'extendClaim']) {
      const r = await v2!.gql(claimOp(op), { id: claim.id });
      expect(r.errors?.[0]?.extensions?.code, op).toBe('FORBIDDEN');
    }
    const dup = await v1!.gql(CLAIM, { id: need.id });
    expect(dup.errors?.[0]?.extensions?.code).toMatch(/CLAIM_CONFLICT|ALREADY_CLAIMED/);
  });
});

describe('expiry and the claim cap', () => {
  it('an unstarted claim expires after the configured time: the slot reopens with an event', async () => {
    const [v] = volunteers;
    const need = await createNeed(coordinator, community);
    const claim = (await v!.ok(CLAIM, { id: need.id })).claimNeed.claim;
    const statusOf = async () => (await s.app.services.prisma.claim.findUniqueOrThrow({ where: { id: uuidOf(claim.id) } })).status;
    s.app.services.clock.advance((s.app.services.rules.claims.ttlMinutes - 1) * 60_000);
    await releaseExpiredClaims(s.app.services); // (claims left by earlier tests may expire here)
    expect(await statusOf()).toBe('ACTIVE');
    const mine = await v!.ok(`{ myClaims { id secondsLeft } }`);
    const left = mine.myClaims.find((c: any) => c.id === claim.id).secondsLeft;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60);
    // Extending gives a fresh full period.
    await v!.ok(claimOp('extendClaim'), { id: claim.id });
    s.app.services.clock.advance(30 * 60_000);
    await releaseExpiredClaims(s.app.services);
    expect(await statusOf()).toBe('ACTIVE');
    s.app.services.clock.advance(s.app.services.rules.claims.ttlMinutes * 60_000);
    expect(await releaseExpiredClaims(s.app.services)).toBeGreaterThanOrEqual(1);
    const row = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(need.id) } });
    expect(row).toMatchObject({ status: 'OPEN', activeClaims: 0 });
    const last = await s.app.services.prisma.needEvent.findFirstOrThrow({ where: { needId: row.id }, orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ type: 'EXPIRED', fromStatus: 'CLAIMED', toStatus: 'OPEN' });
    expect(await statusOf()).toBe('EXPIRED');
    s.app.services.clock.reset();
  });

  it('a volunteer may hold at most the configured number of live claims', async () => {
    const hoarder = await member(s.url, admin, community, 'VOLUNTEER', 'hoarder');
    const needs = [];
    for (let i = 0; i <= s.app.services.rules.claims.maxActivePerVolunteer; i++) needs.push(await createNeed(coordinator, community));
    for (const n of needs.slice(0, -1)) await hoarder.ok(CLAIM, { id: n.id });
    const over = await hoarder.gql(CLAIM, { id: needs.at(-1)!.id });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'CLAIM_LIMIT', limit: s.app.services.rules.claims.maxActivePerVolunteer });
    expect((await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(needs.at(-1)!.id) } })).status).toBe('OPEN');
  });
});

describe('input validation', () => {
  it('bad input is a typed error naming the field, and creates nothing', async () => {
    const before = await s.app.services.prisma.need.count();
    for (const [overrides, field] of [
      [{ lat: 91 }, 'lat'],
      [{ lng: -181 }, 'lng'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(500) }, 'title'],
      [{ slots: 0 }, 'slots'],
      [{ requesterPhone: 'call me' }, 'requesterPhone'],
      [{ neededFrom: '2026-01-02T00:00:00Z', neededBy: '2026-01-01T00:00:00Z' }, 'neededBy'],
    ] as const) {
      const r = await coordinator.gql(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`, {
        input: { communityId: community, title: 'ok', category: 'FOOD', urgency: 'LOW', lat: 31.5, lng: 34.6, address: 'a', requesterName: 'b', ...overrides },
      });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(overrides)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(r.errors?.[0]?.extensions?.issues)).toContain(field);
    }
    const badEnum = await coordinator.gql(`mutation { createNeed(input: { communityId: "x", title: "t", category: PIZZA, urgency: LOW, lat: 1, lng: 1, address: "a", requesterName: "b" }) { need { id } } }`);
    expect(badEnum.errors?.[0]?.message).toMatch(/PIZZA/);
    expect(await s.app.services.prisma.need.count()).toBe(before);
  });
});

describe('viewerCan', () => {
  const CAN = `viewerCan { claim claimOnceMember start extend complete release askHandover assign askVolunteer cancel reopen seePrivate }`;
  const can = async (who: Api, id: string) => (await who.ok(`query($id: ID!) { need(id: $id) { ${CAN} } }`, { id })).need.viewerCan;
  const none = { claim: false, claimOnceMember: false, start: false, extend: false, complete: false, release: false, askHandover: false, assign: false, askVolunteer: false, cancel: false, reopen: false, seePrivate: false };

  it("says what the mutations accept, for each viewer, through a claim's life (a payload already sees the change)", async () => {
    const [v, other] = volunteers;
    const need = await createNeed(coordinator, community);
    const outsider = await member(s.url, admin, await createCommunity(admin), 'VOLUNTEER');
    expect(await can(new Api(s.url), need.id)).toEqual({ ...none, claimOnceMember: true });
    expect(await can(outsider, need.id)).toEqual({ ...none, claimOnceMember: true });
    expect(await can(v!, need.id)).toEqual({ ...none, claim: true, claimOnceMember: true });
    expect(await can(coordinator, need.id)).toEqual({ ...none, claim: true, claimOnceMember: true, assign: true, askVolunteer: true, cancel: true, seePrivate: true });

    const claimed = (await v!.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id need { ${CAN} } } } }`, { id: need.id })).claimNeed.claim;
    expect(claimed.need.viewerCan).toEqual({ ...none, start: true, extend: true, release: true, seePrivate: true });
    expect(await can(other!, need.id)).toEqual({ ...none, askHandover: true });
    expect(await can(coordinator, need.id)).toEqual({ ...none, askHandover: true, askVolunteer: true, cancel: true, seePrivate: true });

    const started = (await v!.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { need { ${CAN} } } } }`, { id: claimed.id })).startClaim.claim;
    expect(started.need.viewerCan).toEqual({ ...none, complete: true, release: true, seePrivate: true });
    const done = (await v!.ok(`mutation($id: ID!) { completeClaim(claimId: $id) { claim { need { ${CAN} } } } }`, { id: claimed.id })).completeClaim.claim;
    expect(done.need.viewerCan).toEqual(none);
    expect(await can(coordinator, need.id)).toEqual({ ...none, reopen: true, seePrivate: true });
  });

});
