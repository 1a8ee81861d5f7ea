// Access that ends while a subscription is live. A subscription outlives the access it started
// with: a claim released, a session signed out or expired, a coordinator's role removed. Each
// event it delivers is decided again: private fields come back FORBIDDEN (the rest of the event
// delivered) once the claim or the role is gone, and a socket whose session has ended is closed
// with 4403 at the next event, before anything of it is sent. Real graphql-ws clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api, GqlResult } from '../helpers/client.ts';

const ADDRESS = '9 Hidden Court, Sderot';
const PHONE = '+972-54-777-1234';
const NEED_CHANGED = `subscription($id: ID!) { needChanged(id: $id) { id status privateDetails { address requesterPhone } } }`;
const patience = { timeout: 20_000, interval: 20 };

let s: TestServer;
let admin: Api;
let community: string;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
});
afterAll(async () => s?.stop());

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** One live needChanged subscription on its own socket: every result in order, and how the socket closed. */
async function follow(api: Api, needId: string) {
  const client: Client = api.ws();
  const results: GqlResult[] = [];
  let closedWith: { code: number; reason: string } | null = null;
  const checks = new Set<() => void>();
  const changed = () => checks.forEach((check) => check());
  const settled = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        checks.delete(check);
        resolve();
      };
      checks.add(check);
      check();
    });
  client.on('closed', (e) => {
    const { code, reason } = e as { code: number; reason: string };
    closedWith = { code, reason };
    changed();
  });
  const before = s.app.services.stream.subscriberCount;
  client.subscribe(
    { query: NEED_CHANGED, variables: { id: needId } },
    { next: (r) => (results.push(r as GqlResult), changed()), error: () => changed(), complete: () => changed() },
  );
  await expect.poll(() => s.app.services.stream.subscriberCount, patience).toBeGreaterThan(before);
  return {
    results,
    closed: () => closedWith,
    /** Resolves once `n` results have arrived or the socket has closed, whichever comes first. */
    resultsOrClose: (n: number) => settled(() => results.length >= n || closedWith !== null),
    dispose: () => client.dispose(),
  };
}

const touch = (api: Api, needId: string, text: string) =>
  api.ok(`mutation($id: ID!, $d: String!) { updateNeed(id: $id, input: { description: $d }) { need { id } } }`, { id: needId, d: text });

const codes = (r: GqlResult | undefined) => (r?.errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]);

/** A coordinator of the community with a need in it, subscribed to it, the first event (with private details) delivered. */
async function coordinatorFollowing() {
  const coordinator = await member(s.url, admin, community, 'COORDINATOR');
  const need = await createNeed(coordinator, community, { address: ADDRESS, requesterPhone: PHONE, contactConsent: true });
  const live = await follow(coordinator, need.id);
  await touch(admin, need.id, 'first');
  await live.resultsOrClose(1);
  expect(live.results[0]?.data?.needChanged?.privateDetails).toEqual({ address: ADDRESS, requesterPhone: PHONE });
  return { coordinator, need, live };
}

describe('live subscriptions re-check access for each event', () => {
  it('a claimant who releases gets FORBIDDEN for private details at the next event, the rest delivered', async () => {
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const claimant = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { address: ADDRESS, requesterPhone: PHONE, contactConsent: true });
    const claim = (await claimant.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id })).claimNeed.claim;
    const live = await follow(claimant, need.id);

    await touch(coordinator, need.id, 'while claimed');
    await live.resultsOrClose(1);
    expect(live.results[0]?.data?.needChanged).toMatchObject({ status: 'CLAIMED', privateDetails: { address: ADDRESS, requesterPhone: PHONE } });

    await claimant.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
    await live.resultsOrClose(2);
    const released = live.results[1];
    expect(released?.data?.needChanged).toEqual({ id: need.id, status: 'OPEN', privateDetails: null });
    expect(codes(released)).toEqual([['needChanged.privateDetails', 'FORBIDDEN']]);
    expect(JSON.stringify(live.results.slice(1))).not.toContain(PHONE);
    expect(live.closed()).toBeNull();
    // Over HTTP, the same.
    const http = await claimant.gql(`query($id: ID!) { need(id: $id) { privateDetails { requesterPhone } } }`, { id: need.id });
    expect(codes(http)).toEqual([['need.privateDetails', 'FORBIDDEN']]);
    await live.dispose();
  }, 60_000);

  const endings: [string, (coordinator: Api & { userId: string }) => Promise<unknown>][] = [
    ['signs out (over HTTP, with the same token)', async (c) => expect((await c.ok(`mutation { signOut }`)).signOut).toBe(true)],
    ['has the session expire', (c) => s.app.services.prisma.session.updateMany({ where: { userId: rawId(c.userId) }, data: { expiresAt: new Date(Date.now() - 1_000) } })],
  ];
  for (const [label, end] of endings) {
    it(`a coordinator who ${label} has the socket closed with 4403 at the next event, nothing of it delivered`, async () => {
      const { coordinator, need, live } = await coordinatorFollowing();
      await end(coordinator);

      await touch(admin, need.id, `after: ${label}`);
      await live.resultsOrClose(2);
      expect(live.closed()?.code).toBe(4403);
      expect(live.results).toHaveLength(1);
      await live.dispose();
    }, 60_000);
  }

  it('a coordinator whose role is removed gets FORBIDDEN for private details at the next event', async () => {
    const { coordinator, need, live } = await coordinatorFollowing();
    await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: VOLUNTEER) { role } }`, { c: community, u: coordinator.userId });

    await touch(admin, need.id, 'after demotion');
    await live.resultsOrClose(2);
    expect(live.results[1]?.data?.needChanged).toEqual({ id: need.id, status: 'OPEN', privateDetails: null });
    expect(codes(live.results[1])).toEqual([['needChanged.privateDetails', 'FORBIDDEN']]);
    expect(live.closed()).toBeNull();
    await live.dispose();
  }, 60_000);
});
