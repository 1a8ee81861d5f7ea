// Membership approval: joining a community that requires approval makes an applicant, who sees
// only the public board (no claim, no private details) until a coordinator approves them; a
// declined applicant stays so. Coordinators watch the applications live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api & { userId: string };
let otherCoordinator: Api & { userId: string };

const JOIN = `mutation($c: ID!, $note: String) { joinCommunity(communityId: $c, note: $note) { status note } }`;
const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { status } } }`;
const PRIVATE = `query($id: ID!) { need(id: $id) { title privateDetails { address requesterPhone } } }`;
const APPROVE = `mutation($c: ID!, $u: ID!) { approveMembership(communityId: $c, userId: $u) { status decidedAt } }`;
const DECLINE = `mutation($c: ID!, $u: ID!, $r: String) { declineMembership(communityId: $c, userId: $u, reason: $r) { status declineReason } }`;
const MY_MEMBERSHIPS = `{ me { memberships { status note declineReason community { id } } } }`;

async function applicant(label: string) {
  const api = new Api(s.url) as Api & { userId: string };
  api.userId = await api.signUp(`${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.org`, label);
  return api;
}

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR', 'coordinator');
  otherCoordinator = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR', 'elsewhere');
});
afterAll(async () => s?.stop());

describe('joining a community that requires approval', () => {
  it('is the default for a new community', async () => {
    expect((await admin.ok(`query($id: ID!) { node(id: $id) { ... on Community { joinPolicy } } }`, { id: community })).node.joinPolicy).toBe('APPROVAL');
  });

  it('makes an applicant who cannot claim or read private details until approved, then can', async () => {
    const need = await createNeed(coordinator, community, { contactConsent: true });
    const v = await applicant('applicant');
    expect((await v.ok(JOIN, { c: community, note: '  I have a car and speak Russian.  ' })).joinCommunity).toEqual({ status: 'PENDING', note: 'I have a car and speak Russian.' });
    expect((await v.ok(MY_MEMBERSHIPS)).me.memberships).toEqual([{ status: 'PENDING', note: 'I have a car and speak Russian.', declineReason: null, community: { id: community } }]);

    // Pending: the public board only.
    expect((await v.gql(CLAIM, { id: need.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const hidden = await v.gql(PRIVATE, { id: need.id });
    expect(hidden.data?.need?.title).toBeTruthy();
    expect(hidden.data?.need?.privateDetails ?? null).toBeNull();
    expect(hidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await v.ok(`query($id: ID!) { node(id: $id) { ... on Community { viewerRole viewerMembership { status } } } }`, { id: community })).node).toEqual({
      viewerRole: null,
      viewerMembership: { status: 'PENDING' },
    });

    // Another community's coordinator and the applicant themself cannot decide it.
    for (const api of [otherCoordinator, v]) expect((await api.gql(APPROVE, { c: community, u: v.userId })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await coordinator.ok(APPROVE, { c: community, u: v.userId })).approveMembership).toEqual({ status: 'ACTIVE', decidedAt: expect.any(String) });
    const members = await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on Community { activeMembers { user { id } } members(first: 20) { edges { node { user { id } } } } } } }`, { id: community });
    expect(members.node.activeMembers.map((m: any) => m.user.id)).toContain(v.userId);
    expect(members.node.members.edges.map((e: any) => e.node.user.id)).toContain(v.userId);
    expect((await v.ok(CLAIM, { id: need.id })).claimNeed.claim.status).toBe('ACTIVE');
    expect((await v.ok(PRIVATE, { id: need.id })).need.privateDetails.requesterPhone).toBeTruthy();
    // Told in the app.
    const notes = (await v.ok(`{ myNotifications { kind title } }`)).myNotifications;
    expect(notes).toContainEqual({ kind: 'MEMBERSHIP_DECIDED', title: expect.stringMatching(/^הצטרפת ל/) }); // in the applicant's language (Hebrew, the default)
    // Approving again is refused with the current state.
    expect((await coordinator.gql(APPROVE, { c: community, u: v.userId })).errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'ACTIVE' });
  });

  it('a declined applicant stays on the public board, reads the reason, and applying again changes nothing', async () => {
    const need = await createNeed(coordinator, community, { title: 'Declined cannot take this' });
    const v = await applicant('declined');
    await v.ok(JOIN, { c: community });
    expect((await coordinator.ok(DECLINE, { c: community, u: v.userId, r: 'We only take residents of the town.' })).declineMembership).toEqual({
      status: 'DECLINED',
      declineReason: 'We only take residents of the town.',
    });
    expect((await v.gql(CLAIM, { id: need.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await v.gql(PRIVATE, { id: need.id })).data?.need?.privateDetails ?? null).toBeNull();
    expect((await v.ok(JOIN, { c: community, note: 'Please!' })).joinCommunity).toEqual({ status: 'DECLINED', note: null });
    expect((await v.ok(MY_MEMBERSHIPS)).me.memberships).toEqual([{ status: 'DECLINED', note: null, declineReason: 'We only take residents of the town.', community: { id: community } }]);
    // The applications list does not hold them; a coordinator may still approve them later.
    const list = (await coordinator.ok(`query($c: ID!) { membershipApplications(communityId: $c) { user { id } } }`, { c: community })).membershipApplications;
    expect(list.map((m: any) => m.user.id)).not.toContain(v.userId);
    expect((await coordinator.ok(APPROVE, { c: community, u: v.userId })).approveMembership.status).toBe('ACTIVE');
  });

  it('an OPEN community makes a member at once; only its coordinators set the policy', async () => {
    const open = await createCommunity(admin);
    const coord = await member(s.url, admin, open, 'COORDINATOR', 'opener');
    const setPolicy = `mutation($c: ID!, $p: JoinPolicy!) { setJoinPolicy(communityId: $c, joinPolicy: $p) { joinPolicy } }`;
    expect((await otherCoordinator.gql(setPolicy, { c: open, p: 'OPEN' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await coord.ok(setPolicy, { c: open, p: 'OPEN' })).setJoinPolicy.joinPolicy).toBe('OPEN');
    const v = await applicant('open');
    expect((await v.ok(JOIN, { c: open })).joinCommunity.status).toBe('ACTIVE');
    const need = await createNeed(coord, open);
    expect((await v.ok(CLAIM, { id: need.id })).claimNeed.claim.status).toBe('ACTIVE');
  });

  it("coordinators' live list delivers a new applicant, and drops them when decided", async () => {
    const client = coordinator.ws();
    const v = await applicant('live');
    const SUB = `subscription($c: ID!) { membershipApplicationsChanged(communityId: $c) { note user { id name } } }`;
    const ids = (item: any) => item.membershipApplicationsChanged.map((m: any) => m.user.id);
    let joined = false;
    const live = collect(client, SUB, { c: community }, (items) => {
      const last = items.at(-1);
      if (last && !joined) {
        joined = true;
        void v.ok(JOIN, { c: community, note: 'Live applicant' });
      }
      return items.some((i) => ids(i).includes(v.userId));
    });
    const items = await live.done;
    expect(items.at(-1)!.membershipApplicationsChanged).toContainEqual({ note: 'Live applicant', user: { id: v.userId, name: 'live' } });

    const decided = collect(client, SUB, { c: community }, (items) => items.length > 1 && !ids(items.at(-1)).includes(v.userId));
    await waitForFirst(decided.items);
    await coordinator.ok(DECLINE, { c: community, u: v.userId, r: 'Full for now' });
    await decided.done;

    // Another community's coordinator cannot watch it.
    const denied = collect(otherCoordinator.ws(), SUB, { c: community }, () => true, 10_000);
    await denied.done.catch(() => {});
    expect(JSON.stringify(denied.errors)).toContain('FORBIDDEN');
    await client.dispose();
  });
});

async function waitForFirst(items: unknown[]) {
  for (let i = 0; i < 200 && items.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(items.length).toBeGreaterThan(0);
}
