// Findings of an attacker's test of the running API ("Attack surface"): a coordinator granting
// COORDINATOR, and coordinators linking records across communities. Each refused call is typed
// and changes nothing; the same calls within the rules still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const SET_ROLE = `mutation($c: ID!, $u: ID!, $r: MembershipRole!) { setMembershipRole(communityId: $c, userId: $u, role: $r) { role } }`;
const LINK = `mutation($n: ID!, $g: ID!) { linkNeedToGoal(needId: $n, goalId: $g) }`;
const GOAL = `mutation($c: ID!, $p: ID) { createRecoveryGoal(communityId: $c, partnershipId: $p, title: "Rebuild the clinic", domain: HEALTH) { id } }`;
const PARTNERSHIP = `mutation($il: ID!, $ab: ID!) { createPartnership(israeliCommunityId: $il, abroadCommunityId: $ab, startDate: "2025-01-01T00:00:00Z", yearlyPledgeMinor: "100000", currency: "ILS") { id } }`;

let s: TestServer;
let admin: Api;
let A: string;
let B: string;
let abroad: string;
let coordinatorA: Api & { userId: string };
let coordinatorB: Api & { userId: string };

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  A = await createCommunity(admin);
  B = await createCommunity(admin);
  abroad = (await admin.ok(`mutation { createCommunity(input: { slug: "lyon-${Date.now()}", name: "Lyon", kind: PARTNER_ABROAD, area: "Lyon", country: "FR", centerLat: 45.76, centerLng: 4.83 }) { id } }`)).createCommunity.id;
  coordinatorA = await member(s.url, admin, A, 'COORDINATOR', 'coordinator-a');
  coordinatorB = await member(s.url, admin, B, 'COORDINATOR', 'coordinator-b');
});
afterAll(async () => s?.stop());

/** Everything the refused calls could have changed. */
const snapshot = async () => {
  const db = s.app.services.prisma;
  return {
    memberships: await db.membership.findMany({ orderBy: [{ userId: 'asc' }, { communityId: 'asc' }], select: { userId: true, communityId: true, role: true } }),
    links: await db.needGoal.findMany({ orderBy: [{ needId: 'asc' }, { goalId: 'asc' }] }),
    goals: await db.recoveryGoal.findMany({ orderBy: { id: 'asc' }, select: { id: true, communityId: true, partnershipId: true } }),
  };
};

/** `call` is refused with `code`, and nothing changed. */
async function refused(code: string, call: () => Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }>) {
  const before = await snapshot();
  const body = await call();
  expect(body.errors?.[0]?.extensions?.code, JSON.stringify(body)).toBe(code);
  expect(await snapshot()).toEqual(before);
}

async function newUser(label: string) {
  const api = new Api(s.url) as Api & { userId: string };
  api.userId = await api.signUp(`${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`, label);
  return api;
}

const roleOf = async (user: { userId: string }, community: string) =>
  (await s.app.services.prisma.membership.findUnique({ where: { userId_communityId: { userId: uuidOf(user.userId), communityId: uuidOf(community) } } }))?.role ?? null;

describe('membership roles: admins grant and remove COORDINATOR, coordinators manage volunteers', () => {
  it("a coordinator's COORDINATOR grant is FORBIDDEN and changes nothing, to a volunteer, a newcomer or themselves elsewhere", async () => {
    const volunteer = await member(s.url, admin, B, 'VOLUNTEER');
    const newcomer = await newUser('newcomer');
    await refused('FORBIDDEN', () => coordinatorB.gql(SET_ROLE, { c: B, u: volunteer.userId, r: 'COORDINATOR' }));
    await refused('FORBIDDEN', () => coordinatorB.gql(SET_ROLE, { c: B, u: newcomer.userId, r: 'COORDINATOR' }));
    await refused('FORBIDDEN', () => coordinatorB.gql(SET_ROLE, { c: A, u: coordinatorB.userId, r: 'COORDINATOR' }));
    expect(await roleOf(volunteer, B)).toBe('VOLUNTEER');
    expect(await roleOf(newcomer, B)).toBeNull();
    // And the volunteer still cannot do what a coordinator does.
    expect((await volunteer.gql(`mutation($c: ID!) { createRecoveryGoal(communityId: $c, title: "x", domain: HEALTH) { id } }`, { c: B })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("a coordinator cannot remove another coordinator's role (or their own)", async () => {
    const colleague = await member(s.url, admin, B, 'COORDINATOR', 'colleague');
    await refused('FORBIDDEN', () => coordinatorB.gql(SET_ROLE, { c: B, u: colleague.userId, r: 'VOLUNTEER' }));
    await refused('FORBIDDEN', () => coordinatorB.gql(SET_ROLE, { c: B, u: coordinatorB.userId, r: 'VOLUNTEER' }));
    expect(await roleOf(colleague, B)).toBe('COORDINATOR');
  });

  it('a coordinator still adds volunteers to their community; an admin grants and removes COORDINATOR', async () => {
    const newcomer = await newUser('joiner');
    expect((await coordinatorB.ok(SET_ROLE, { c: B, u: newcomer.userId, r: 'VOLUNTEER' })).setMembershipRole.role).toBe('VOLUNTEER');
    expect((await coordinatorB.ok(SET_ROLE, { c: B, u: newcomer.userId, r: 'VOLUNTEER' })).setMembershipRole.role).toBe('VOLUNTEER');
    expect(await roleOf(newcomer, B)).toBe('VOLUNTEER');
    expect((await admin.ok(SET_ROLE, { c: B, u: newcomer.userId, r: 'COORDINATOR' })).setMembershipRole.role).toBe('COORDINATOR');
    expect(await roleOf(newcomer, B)).toBe('COORDINATOR');
    expect((await admin.ok(SET_ROLE, { c: B, u: newcomer.userId, r: 'VOLUNTEER' })).setMembershipRole.role).toBe('VOLUNTEER');
    expect(await roleOf(newcomer, B)).toBe('VOLUNTEER');
  });
});

describe('writes that link two records check both, and that they belong together', () => {
  it("linkNeedToGoal: another community's need is FORBIDDEN to a coordinator, BAD_USER_INPUT to an admin; nothing changes", async () => {
    const needA = await createNeed(coordinatorA, A);
    const goalB = (await coordinatorB.ok(GOAL, { c: B })).createRecoveryGoal;
    await refused('FORBIDDEN', () => coordinatorB.gql(LINK, { n: needA.id, g: goalB.id }));
    await refused('FORBIDDEN', () => coordinatorA.gql(LINK, { n: needA.id, g: goalB.id }));
    await refused('BAD_USER_INPUT', () => admin.gql(LINK, { n: needA.id, g: goalB.id }));
    const roadmap = (await admin.ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { id needs { id } } }`, { c: B })).recoveryRoadmap;
    expect(roadmap.find((g: any) => g.id === goalB.id).needs).toEqual([]);
  });

  it('linkNeedToGoal within one community still works', async () => {
    const needB = await createNeed(coordinatorB, B);
    const goalB = (await coordinatorB.ok(GOAL, { c: B })).createRecoveryGoal;
    expect((await coordinatorB.ok(LINK, { n: needB.id, g: goalB.id })).linkNeedToGoal).toBe(true);
    const roadmap = (await coordinatorB.ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { id needs { id } } }`, { c: B })).recoveryRoadmap;
    expect(roadmap.find((g: any) => g.id === goalB.id).needs).toEqual([{ id: needB.id }]);
  });

  it("createRecoveryGoal on another community's partnership: FORBIDDEN to a coordinator, BAD_USER_INPUT to an admin; no goal is made", async () => {
    const partnershipA = (await coordinatorA.ok(PARTNERSHIP, { il: A, ab: abroad })).createPartnership;
    await refused('FORBIDDEN', () => coordinatorB.gql(GOAL, { c: B, p: partnershipA.id }));
    await refused('BAD_USER_INPUT', () => admin.gql(GOAL, { c: B, p: partnershipA.id }));
    // A goal of the partnership is on its Israeli community's road map, not the partner's abroad.
    const abroadCoordinator = await member(s.url, admin, abroad, 'COORDINATOR', 'abroad');
    await refused('BAD_USER_INPUT', () => abroadCoordinator.gql(GOAL, { c: abroad, p: partnershipA.id }));
    // The same call on its own community's partnership works.
    const goal = (await coordinatorA.ok(GOAL, { c: A, p: partnershipA.id })).createRecoveryGoal;
    expect(await s.app.services.prisma.recoveryGoal.findUnique({ where: { id: uuidOf(goal.id) }, select: { partnershipId: true } })).toEqual({ partnershipId: uuidOf(partnershipA.id) });
  });

  it("recordDisbursement to another community's goal, and a milestone on it, stay refused", async () => {
    const partnershipA = (await coordinatorA.ok(PARTNERSHIP, { il: A, ab: abroad })).createPartnership;
    const goalB = (await coordinatorB.ok(GOAL, { c: B })).createRecoveryGoal;
    const disbursements = () => s.app.services.prisma.disbursement.count();
    const milestones = () => s.app.services.prisma.milestone.count();
    const [d, m] = [await disbursements(), await milestones()];
    const pay = await coordinatorA.gql(`mutation($p: ID!, $g: ID) { recordDisbursement(partnershipId: $p, amountMinor: "100", currency: "ILS", goalId: $g) { id } }`, { p: partnershipA.id, g: goalB.id });
    expect(pay.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const milestone = await coordinatorA.gql(`mutation($g: ID!) { addMilestone(goalId: $g, title: "Survey", dueDate: "2026-12-31T00:00:00Z") { id } }`, { g: goalB.id });
    expect(milestone.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect([await disbursements(), await milestones()]).toEqual([d, m]);
  });
});
