// The privacy matrix: exact address and requester contact reach only coordinators of the
// need's community, the volunteer holding a live claim, and admins — over queries, nested
// fields, node, aliases and subscription payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';

const ADDRESS = '7 Secret Lane, Sderot';
const PHONE = '+972-52-999-8888';

let s: TestServer;
let roles: Record<string, Api>;
let needId: string;
let expectations: Record<string, boolean>;

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  const home = await createCommunity(admin);
  const elsewhere = await createCommunity(admin);
  const coordinator = await member(s.url, admin, home, 'COORDINATOR');
  const otherCoordinator = await member(s.url, admin, elsewhere, 'COORDINATOR');
  const volunteer = await member(s.url, admin, home, 'VOLUNTEER');
  const claimant = await member(s.url, admin, home, 'VOLUNTEER');
  const formerClaimant = await member(s.url, admin, home, 'VOLUNTEER');
  const need = await createNeed(coordinator, home, { address: ADDRESS, requesterPhone: PHONE, slots: 2 });
  needId = need.id;
  const former = await formerClaimant.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: needId });
  await formerClaimant.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { id } } }`, { id: former.claimNeed.claim.id });
  await claimant.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: needId });
  roles = { anonymous: new Api(s.url), volunteer, claimant, formerClaimant, otherCoordinator, coordinator, admin };
  expectations = { anonymous: false, volunteer: false, claimant: true, formerClaimant: false, otherCoordinator: false, coordinator: true, admin: true };
});
afterAll(async () => s?.stop());

const PROBES: [string, string][] = [
  ['need', `query($id: ID!) { need(id: $id) { title privateDetails { address requesterPhone lat lng } } }`],
  ['node', `query($id: ID!) { node(id: $id) { ... on Need { privateDetails { address requesterPhone } } } }`],
  ['aliases', `query($id: ID!) { a: need(id: $id) { p: privateDetails { x: address } } b: need(id: $id) { privateDetails { requesterName requesterPhone } } }`],
  ['list', `{ needs(first: 50, filter: { statuses: [OPEN, CLAIMED] }) { edges { node { privateDetails { address requesterPhone } } } } }`],
  ['nested via claim', `{ myClaims(live: false) { need { privateDetails { address requesterPhone } } } }`],
];

describe('private details', () => {
  for (const [label, query] of PROBES) {
    it(`over ${label}`, async () => {
      for (const [role, api] of Object.entries(roles)) {
        const r = await api.gql(query, { id: needId });
        const body = JSON.stringify(r.data ?? {});
        const leaked = body.includes(ADDRESS) || body.includes(PHONE);
        if (label === 'nested via claim' && role === 'anonymous') {
          expect(r.errors?.[0]?.extensions?.code, role).toBe('UNAUTHENTICATED');
          continue;
        }
        const hasNeedInScope = label !== 'nested via claim' || role === 'claimant' || role === 'formerClaimant';
        if (!hasNeedInScope) {
          expect(leaked, `${role} over ${label}`).toBe(false);
          continue;
        }
        expect(leaked, `${role} over ${label}`).toBe(expectations[role]);
        if (!expectations[role]) {
          // Denied is a typed error, never a silent null.
          expect(r.errors?.map((e) => e.extensions?.code), `${role} over ${label}`).toContainEqual(expect.stringMatching(/FORBIDDEN|UNAUTHENTICATED/));
        }
      }
    });
  }

  it('public location is a few hundred metres off, and stable', async () => {
    const q = `query($id: ID!) { need(id: $id) { publicLat publicLng } }`;
    const a = (await roles.anonymous!.ok(q, { id: needId })).need;
    const b = (await roles.volunteer!.ok(q, { id: needId })).need;
    expect(a).toEqual(b);
    const row = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: Buffer.from(needId, 'base64').toString().split(':')[1]! } });
    const dLat = (a.publicLat - row.lat) * 111_320;
    const dLng = (a.publicLng - row.lng) * 111_320 * Math.cos((row.lat * Math.PI) / 180);
    const metres = Math.hypot(dLat, dLng);
    expect(metres).toBeGreaterThan(200);
    expect(metres).toBeLessThan(550);
  });

  it('subscription payloads keep private fields private', async () => {
    for (const [role, api] of Object.entries(roles)) {
      const ws = api.ws();
      const sub = collect(ws, `subscription($id: ID!) { needChanged(id: $id) { id privateDetails { address requesterPhone } } }`, { id: needId }, (items) => items.length >= 1);
      await new Promise((r) => setTimeout(r, 200));
      await roles.coordinator!.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { description: "${role}" }) { need { id } } }`, { id: needId });
      await sub.done;
      const leaked = JSON.stringify(sub.items).includes(ADDRESS);
      expect(leaked, role).toBe(expectations[role]);
      await ws.dispose();
    }
  });

  it('every read of private details is logged, and coordinators can read the log', async () => {
    const before = await s.app.services.prisma.privateAccessLog.count();
    await roles.claimant!.ok(`query($id: ID!) { need(id: $id) { privateDetails { address } } }`, { id: needId });
    expect(await s.app.services.prisma.privateAccessLog.count()).toBe(before + 1);
    const log = await roles.coordinator!.ok(`{ privateAccessLog(first: 5) { edges { node { at user { name } need { id } } } } }`);
    expect(log.privateAccessLog.edges[0].node.need.id).toBe(needId);
    const denied = await roles.volunteer!.gql(`{ privateAccessLog(first: 5) { edges { node { at } } } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("claims and members are visible only to their volunteer and the community's coordinators", async () => {
    const q = `query($id: ID!) { need(id: $id) { claims { id volunteer { name } } } }`;
    expect((await roles.coordinator!.gql(q, { id: needId })).data?.need?.claims).toHaveLength(2);
    for (const role of ['anonymous', 'volunteer', 'otherCoordinator']) {
      const r = await roles[role]!.gql(q, { id: needId });
      expect(r.data?.need?.claims ?? null, role).toBeNull();
      expect(r.errors?.[0]?.extensions?.code, role).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
    const email = await roles.volunteer!.gql(`{ needs(first: 1) { edges { node { community { members(first: 5) { edges { node { user { email phone } } } } } } } } }`);
    expect(JSON.stringify(email.data)).not.toMatch(/@example\.org/);
  });
});
