// Idempotent mutations: a mutation sent again with the same idempotency key (HTTP header or
// graphql-ws extensions) has its effect once and answers with the first result; the same key
// for another request is refused with a typed error; keys belong to whoever sent them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, type GqlResult } from '../helpers/client.ts';
import { purgeExpiredIdempotencyKeys } from '../../api/src/events/idempotencyPurge.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const CLAIM = `mutation Claim($id: ID!) { claimNeed(needId: $id) { claim { id status need { status openSlots } } } }`;
const RELEASE = `mutation Release($id: ID!) { releaseClaim(claimId: $id) { claim { id status } } }`;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;

const keyed = (api: Api, query: string, variables: Record<string, unknown>, key: string) => api.gql(query, variables, { 'idempotency-key': key });

/** One operation over graphql-ws with `extensions.idempotencyKey`. */
async function overWs(api: Api, query: string, variables: Record<string, unknown>, key: string): Promise<GqlResult> {
  const client = api.ws();
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      let result: GqlResult = {};
      client.subscribe({ query, variables, extensions: { idempotencyKey: key } }, {
        next: (r) => (result = r as GqlResult),
        error: reject,
        complete: () => resolve(result),
      });
    });
  } finally {
    await client.dispose();
  }
}

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
}, 120_000);
afterAll(async () => {
  s?.app.services.clock.reset();
  await s?.stop();
});

describe('idempotency keys', () => {
  it('over HTTP: the same key twice claims once and answers the same; a retried claim is not ALREADY_CLAIMED', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 2 });
    const first = await keyed(volunteer, CLAIM, { id: need.id }, 'claim-1');
    expect(first.errors).toBeUndefined();
    const again = await keyed(volunteer, CLAIM, { id: need.id }, 'claim-1');
    expect(again).toEqual(first);
    // Without the key the same request is a second attempt, refused as before.
    const unkeyed = await volunteer.gql(CLAIM, { id: need.id });
    expect(unkeyed.errors?.[0]?.extensions?.code).toBe('ALREADY_CLAIMED');
    const needId = uuidOf(need.id);
    expect(await s.app.services.prisma.claim.count({ where: { needId } })).toBe(1);
    expect(await s.app.services.prisma.needEvent.count({ where: { needId, type: 'CLAIMED' } })).toBe(1);
  });

  it('a retried release whose first attempt committed answers with the first result, not ILLEGAL_TRANSITION', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community);
    const claim = (await volunteer.ok(CLAIM, { id: need.id })).claimNeed.claim;
    const first = await keyed(volunteer, RELEASE, { id: claim.id }, 'release-1');
    expect(first.data?.releaseClaim.claim.status).toBe('RELEASED');
    expect(await keyed(volunteer, RELEASE, { id: claim.id }, 'release-1')).toEqual(first);
    expect((await volunteer.gql(RELEASE, { id: claim.id })).errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    expect(await s.app.services.prisma.needEvent.count({ where: { needId: uuidOf(need.id), type: 'RELEASED' } })).toBe(1);
  });

  it('over WebSocket (extensions.idempotencyKey): the same key twice, one effect, the same answer', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 3 });
    const first = await overWs(volunteer, CLAIM, { id: need.id }, 'ws-claim');
    expect(first.errors).toBeUndefined();
    expect(first.data?.claimNeed.claim.status).toBe('ACTIVE');
    expect(await overWs(volunteer, CLAIM, { id: need.id }, 'ws-claim')).toEqual(first);
    // The key is the same whichever transport carries it.
    expect(await keyed(volunteer, CLAIM, { id: need.id }, 'ws-claim')).toEqual(first);
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(1);
  });

  it('the same key with other variables or another document is refused with IDEMPOTENCY_KEY_REUSED', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const [a, b] = [await createNeed(coordinator, community), await createNeed(coordinator, community)];
    expect((await keyed(volunteer, CLAIM, { id: a.id }, 'reuse')).errors).toBeUndefined();
    const other = await keyed(volunteer, CLAIM, { id: b.id }, 'reuse');
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherDoc = await keyed(volunteer, `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: a.id }, 'reuse');
    expect(otherDoc.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(b.id) } })).toBe(0);
  });

  it("keys are per viewer: another user's same key runs their own mutation", async () => {
    const [one, two] = [await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER')];
    const need = await createNeed(coordinator, community, { slots: 2 });
    const mine = await keyed(one, CLAIM, { id: need.id }, 'shared-key');
    const theirs = await keyed(two, CLAIM, { id: need.id }, 'shared-key');
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data?.claimNeed.claim.id).not.toBe(mine.data?.claimNeed.claim.id);
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(2);
  });

  it('concurrent attempts with one key: one effect, every answer the same', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 5 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => keyed(volunteer, CLAIM, { id: need.id }, 'burst')));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.errors).toBeUndefined();
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(1);
  });

  it('keys older than IDEMPOTENCY_TTL_HOURS are purged by the worker job', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community);
    await keyed(volunteer, CLAIM, { id: need.id }, 'old');
    const where = { scope: `user:${uuidOf(volunteer.userId)}`, key: 'old' };
    expect(await s.app.services.prisma.idempotencyKey.count({ where })).toBe(1);
    s.app.services.clock.set(new Date(Date.now() + 25 * 3_600_000));
    try {
      expect(await purgeExpiredIdempotencyKeys(s.app.services)).toBeGreaterThan(0);
    } finally {
      s.app.services.clock.reset();
    }
    expect(await s.app.services.prisma.idempotencyKey.count({ where })).toBe(0);
  });
});
