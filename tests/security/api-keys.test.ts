// API keys for partner systems ("Attack surface"), end to end in production mode: a partner
// client with a key queries over HTTP and subscribes over graphql-ws, sees the private details
// of its communities and of no other, cannot write with a read-only key nor run a mutation its
// key does not name, is refused once the key is revoked (its open socket closed with 4403 at the
// next event), loses what its creator loses, and is rate limited per key. The database keeps the
// key's hash only. Before API keys there was no such credential: a partner used a person's token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect, type GqlResult } from '../helpers/client.ts';

const PER_KEY_PER_MINUTE = 40;
const ADDRESS = '4 Partner Lane, Sderot';
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token apiKey { id hint readOnly allowedMutations communities { id } } } }`;
const NEED = `query($id: ID!) { need(id: $id) { id title privateDetails { address } } }`;
const patience = { timeout: 20_000, interval: 20 };

let s: TestServer;
let admin: Api;
let a: string;
let b: string;
let coordinator: Api & { userId: string };

beforeAll(async () => {
  s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_API_KEY_PER_MINUTE: String(PER_KEY_PER_MINUTE) });
  admin = await adminClient(s.url, s.app.services.prisma);
  a = await createCommunity(admin);
  b = await createCommunity(admin);
  coordinator = await member(s.url, admin, a, 'COORDINATOR');
  await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: b, u: coordinator.userId });
});
afterAll(async () => s?.stop());

/** A key made by `by` for `communities`, and a client that sends it as its bearer token. */
async function keyClient(by: Api, communities: string[], allowedMutations: string[] = []) {
  const d = await by.ok(CREATE_KEY, { input: { name: `partner ${Date.now()}`, communityIds: communities, allowedMutations } });
  const partner = new Api(s.url);
  partner.token = d.createApiKey.token;
  return { partner, token: d.createApiKey.token as string, key: d.createApiKey.apiKey };
}

const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('an API key', () => {
  it('is shown once with its prefix and stored as its SHA-256 only', async () => {
    const { token, key } = await keyClient(coordinator, [a]);
    expect(token).toMatch(/^mab_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ hint: token.slice(0, 8), readOnly: true, allowedMutations: [], communities: [{ id: a }] });
    const rows = await s.app.services.prisma.apiKey.findMany();
    const row = rows.find((r) => r.hint === key.hint)!;
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    // Listed for its creator, with no token; not for a coordinator elsewhere; a key lists nothing.
    const listed = await coordinator.ok(`{ apiKeys { id hint } }`);
    expect(listed.apiKeys).toContainEqual({ id: key.id, hint: key.hint });
    const elsewhere = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR');
    expect((await elsewhere.ok(`{ apiKeys { id } }`)).apiKeys).toEqual([]);
  });

  it('over HTTP reads the private details of its communities and of no other, and records its last use', async () => {
    const inA = await createNeed(coordinator, a, { address: ADDRESS });
    const inB = await createNeed(coordinator, b, { address: ADDRESS });
    const { partner, key } = await keyClient(coordinator, [a]);
    expect((await partner.ok(NEED, { id: inA.id })).need.privateDetails).toEqual({ address: ADDRESS });
    const other = await partner.gql(NEED, { id: inB.id });
    expect(other.data?.need).toMatchObject({ id: inB.id, privateDetails: null });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    // Not its creator's e-mail either: a person's own details are not a partner's.
    const me = await partner.gql(`{ me { name email } }`);
    expect(me.data?.me?.email ?? null).toBeNull();
    const row = await s.app.services.prisma.apiKey.findUniqueOrThrow({ where: { id: Buffer.from(key.id, 'base64').toString().split(':')[1] } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('over graphql-ws receives the events of its communities, private details only there', async () => {
    const { partner, token } = await keyClient(coordinator, [a]);
    const client = partner.ws({ connectionParams: { authToken: token } });
    const before = s.app.services.stream.subscriberCount;
    const sub = collect(
      client,
      `subscription($f: NeedEventFilter) { needEvents(filter: $f) { type need { id communityId: community { id } privateDetails { address } } } }`,
      { f: { communityIds: [a, b] } },
      (items) => items.length >= 2,
    );
    await expect.poll(() => s.app.services.stream.subscriberCount, patience).toBeGreaterThan(before);
    const inA = await createNeed(coordinator, a, { address: ADDRESS });
    const inB = await createNeed(coordinator, b, { address: ADDRESS });
    const items = await sub.done;
    await client.dispose();
    const byNeed = new Map(items.map((i: any) => [i.needEvents.need.id, i.needEvents.need]));
    expect(byNeed.get(inA.id)?.privateDetails).toEqual({ address: ADDRESS });
    // The event of the other community arrives with its public face; its private details refused.
    expect(byNeed.get(inB.id)?.privateDetails ?? null).toBeNull();
    expect(sub.errors.flat().map((e: any) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('read-only: a mutation is FORBIDDEN; with named mutations, those only, within its communities', async () => {
    const readOnly = await keyClient(coordinator, [a]);
    const create = (api: Api, community: string) =>
      api.gql(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`, {
        input: { communityId: community, title: 'From a partner', category: 'FOOD', urgency: 'LOW', lat: 31.52, lng: 34.59, address: ADDRESS, requesterName: 'Dana' },
      });
    expect(codes(await create(readOnly.partner, a))).toEqual(['FORBIDDEN']);
    const writer = await keyClient(coordinator, [a], ['createNeed']);
    const made = await create(writer.partner, a);
    expect(made.errors).toBeUndefined();
    expect(codes(await create(writer.partner, b))).toEqual(['FORBIDDEN']);
    const cancel = await writer.partner.gql(`mutation($id: ID!) { cancelNeed(id: $id, reason: "x") { need { id } } }`, { id: made.data!.createNeed.need.id });
    expect(codes(cancel)).toEqual(['FORBIDDEN']);
    // Never another key, whatever it names.
    expect(codes(await writer.partner.gql(CREATE_KEY, { input: { name: 'x', communityIds: [a] } }))).toEqual(['FORBIDDEN']);
    // A coordinator keys only communities they coordinate.
    const onlyA = await member(s.url, admin, a, 'COORDINATOR');
    expect(codes(await onlyA.gql(CREATE_KEY, { input: { name: 'x', communityIds: [b] } }))).toEqual(['FORBIDDEN']);
  });

  // Found after the keys were built: a key allowed releaseClaim could release its creator's
  // claim in a community outside the key's (the claim rules checked the volunteer, not the scope).
  it("acts on its creator's claims within its communities only", async () => {
    const RELEASE = `mutation($id: ID!) { releaseClaim(claimId: $id, reason: "partner") { claim { status } } }`;
    const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;
    const inB = (await coordinator.ok(CLAIM, { id: (await createNeed(coordinator, b, { category: 'FOOD' })).id })).claimNeed.claim.id;
    const inA = (await coordinator.ok(CLAIM, { id: (await createNeed(coordinator, a, { category: 'FOOD' })).id })).claimNeed.claim.id;
    const releaser = await keyClient(coordinator, [a], ['releaseClaim']);
    expect(codes(await releaser.partner.gql(RELEASE, { id: inB }))).toEqual(['FORBIDDEN']);
    expect((await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on Claim { status } } }`, { id: inB })).node.status).toBe('ACTIVE');
    expect((await releaser.partner.ok(RELEASE, { id: inA })).releaseClaim.claim.status).toBe('RELEASED');
  });

  it("keeps its idempotency keys apart from its creator's", async () => {
    const CREATE = `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id title } } }`;
    const input = (title: string) => ({ communityId: a, title, category: 'FOOD', urgency: 'LOW', lat: 31.52, lng: 34.59, address: ADDRESS, requesterName: 'Dana' });
    const writer = await keyClient(coordinator, [a], ['createNeed']);
    const mine = await coordinator.gql(CREATE, { input: input('By the coordinator') }, { 'idempotency-key': 'shared-key-1' });
    const theirs = await writer.partner.gql(CREATE, { input: input('By the partner') }, { 'idempotency-key': 'shared-key-1' });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.createNeed.need.title).toBe('By the partner');
    expect(theirs.data!.createNeed.need.id).not.toBe(mine.data!.createNeed.need.id);
  });

  it("counts its creator's ACTIVE memberships only, as their own session does", async () => {
    const lead = await member(s.url, admin, a, 'COORDINATOR');
    const need = await createNeed(lead, a, { address: ADDRESS });
    const { partner } = await keyClient(lead, [a]);
    expect((await partner.ok(NEED, { id: need.id })).need.privateDetails).toEqual({ address: ADDRESS });
    // The membership no longer active (pending again): the person's session has no role there, nor has the key.
    const userId = Buffer.from(lead.userId, 'base64').toString().split(':')[1]!;
    const communityId = Buffer.from(a, 'base64').toString().split(':')[1]!;
    await s.app.services.prisma.membership.update({ where: { userId_communityId: { userId, communityId } }, data: { status: 'PENDING' } });
    expect((await lead.gql(NEED, { id: need.id })).data?.need?.privateDetails ?? null).toBeNull();
    expect((await partner.gql(NEED, { id: need.id })).data?.need?.privateDetails ?? null).toBeNull();
  });

  it('imports a CSV only when it names importCsv: a read-only key is refused (403) and nothing is created', async () => {
    const csv = `title,category,urgency,lat,lng,address,name\nKey import ${Date.now()},FOOD,LOW,31.52,34.59,${ADDRESS},Dana\n`;
    const post = (token: string) =>
      fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(a)}`, { method: 'POST', headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${token}` }, body: csv });
    const before = await s.app.services.prisma.need.count();
    const readOnly = await post((await keyClient(coordinator, [a])).token);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await s.app.services.prisma.need.count()).toBe(before);
    const importer = await post((await keyClient(coordinator, [a], ['importCsv'])).token);
    expect(importer.status).toBe(200);
    expect((await importer.text()).trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toMatchObject({ accepted: 1 });
  });

  it('revoked: refused over HTTP, and its open socket closed with 4403 at the next event', async () => {
    const need = await createNeed(coordinator, a, { address: ADDRESS });
    const { partner, token, key } = await keyClient(coordinator, [a]);
    const client = partner.ws({ connectionParams: { authToken: token } });
    let closed: number | null = null;
    client.on('closed', (e) => void (closed = (e as { code: number }).code));
    const results: GqlResult[] = [];
    const before = s.app.services.stream.subscriberCount;
    client.subscribe({ query: `subscription($id: ID!) { needChanged(id: $id) { id privateDetails { address } } }`, variables: { id: need.id } }, {
      next: (r) => void results.push(r as GqlResult),
      error: () => {},
      complete: () => {},
    });
    await expect.poll(() => s.app.services.stream.subscriberCount, patience).toBeGreaterThan(before);
    const touch = (d: string) => coordinator.ok(`mutation($id: ID!, $d: String!) { updateNeed(id: $id, input: { description: $d }) { need { id } } }`, { id: need.id, d });
    await touch('first');
    await expect.poll(() => results.length, patience).toBe(1);
    expect(results[0]!.data?.needChanged.privateDetails).toEqual({ address: ADDRESS });

    // Someone else cannot revoke it; its creator can.
    const stranger = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR');
    expect(codes(await stranger.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.id }))).toEqual(['FORBIDDEN']);
    const revoked = await coordinator.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id: key.id });
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();

    const refused = await partner.gql(NEED, { id: need.id });
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    await touch('second');
    await expect.poll(() => closed, patience).toBe(4403);
    expect(results).toHaveLength(1);
    await client.dispose();
  });

  it('acts with its creator’s rights as they are now: a role taken away is taken from the key', async () => {
    const creator = await member(s.url, admin, a, 'COORDINATOR');
    const need = await createNeed(creator, a, { address: ADDRESS });
    const { partner } = await keyClient(creator, [a]);
    expect((await partner.ok(NEED, { id: need.id })).need.privateDetails).toEqual({ address: ADDRESS });
    await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: VOLUNTEER) { role } }`, { c: a, u: creator.userId });
    expect(codes(await partner.gql(NEED, { id: need.id }))).toEqual(['FORBIDDEN']);
  });

  it('is rate limited per key: RATE_LIMITED past RATE_LIMIT_API_KEY_PER_MINUTE, another key unaffected', async () => {
    const { partner } = await keyClient(coordinator, [a]);
    const answers: GqlResult[] = [];
    for (let i = 0; i <= PER_KEY_PER_MINUTE; i++) answers.push(await partner.gql(`{ communities { id } }`));
    expect(answers.slice(0, PER_KEY_PER_MINUTE).every((r) => !r.errors)).toBe(true);
    const last = answers.at(-1)!;
    expect(codes(last)).toEqual(['RATE_LIMITED']);
    expect(last.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    const other = await keyClient(coordinator, [a]);
    expect((await other.partner.gql(`{ communities { id } }`)).errors).toBeUndefined();
  });

  it('exports the private columns of its communities only', async () => {
    const inB = await createNeed(coordinator, b, { address: ADDRESS });
    const inA = await createNeed(coordinator, a, { address: ADDRESS });
    const { token } = await keyClient(coordinator, [a]);
    const res = await fetch(`${s.url}/api/export/needs.json?private=1&communityId=${encodeURIComponent(a)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const rows = (await res.json()) as { id: string; address?: string }[];
    expect(rows.find((r) => r.id === inA.id)?.address).toBe(ADDRESS);
    const theirs = await fetch(`${s.url}/api/export/needs.json?private=1&communityId=${encodeURIComponent(b)}`, { headers: { authorization: `Bearer ${token}` } });
    const body = theirs.status === 200 ? ((await theirs.json()) as { id: string; address?: string }[]) : [];
    expect(body.find((r) => r.id === inB.id)?.address ?? null).toBeNull();
  });
});
