// Intake on a call, across the wire: the caller's needs once the number is valid (only in the
// communities the operator coordinates), the needs a draft likely repeats while it is typed (one
// scoring with the duplicate queue), and a second call attached to the need as a private note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';

let s: TestServer;
let admin: Api;
let A: string;
let B: string;
let coordA: Api;
let coordB: Api;
let volA: Api;

const CALLER = `query($phone: String!, $c: [ID!]) { callerNeeds(phone: $phone, communityIds: $c) { id title status community { id } } }`;
const DUPLICATES = `query($draft: NeedDraftInput!) { possibleDuplicates(draft: $draft) { score reasons need { id title status } } }`;
const ATTACH = `mutation($id: ID!, $note: String!) { attachCall(needId: $id, note: $note) { need { id status } } }`;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  A = await createCommunity(admin);
  B = await createCommunity(admin);
  coordA = await member(s.url, admin, A, 'COORDINATOR');
  coordB = await member(s.url, admin, B, 'COORDINATOR');
  volA = await member(s.url, admin, A, 'VOLUNTEER');
});
afterAll(async () => {
  await s?.stop();
});

describe("the caller's needs", () => {
  it('appear once the number is valid, however it is written, from the communities the operator coordinates only', async () => {
    const inA = await createNeed(coordA, A, { title: 'Groceries for Rivka', requesterPhone: '050-234-5678' });
    const cancelled = await createNeed(coordA, A, { title: 'Old ride', requesterPhone: '+972 50 234 5678', category: 'TRANSPORT' });
    await coordA.ok(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: cancelled.id });
    const other = await createNeed(coordA, A, { title: 'Someone else', requesterPhone: '050-234-5679' });
    const inB = await createNeed(coordB, B, { title: 'In B', requesterPhone: '0502345678' });

    // Not yet a valid number: nothing (a prefix would list every caller sharing it).
    expect((await coordA.ok(CALLER, { phone: '050-234' })).callerNeeds).toEqual([]);
    for (const phone of ['0502345678', '+972-50-234-5678', '٠٥٠٢٣٤٥٦٧٨']) {
      const ids = (await coordA.ok(CALLER, { phone })).callerNeeds.map((n: { id: string }) => n.id);
      // Newest first; the recent cancelled one too; not the neighbour's number; not B's.
      expect(ids, phone).toEqual([cancelled.id, inA.id]);
    }
    expect((await coordA.ok(CALLER, { phone: '050-234-5679' })).callerNeeds.map((n: { id: string }) => n.id)).toEqual([other.id]);
    expect((await coordB.ok(CALLER, { phone: '050-234-5678' })).callerNeeds.map((n: { id: string }) => n.id)).toEqual([inB.id]);
    // A community the operator does not coordinate: refused, not an empty list.
    const refused = await coordB.gql(CALLER, { phone: '050-234-5678', c: [A] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Volunteers and strangers: not at all.
    expect((await volA.gql(CALLER, { phone: '050-234-5678' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('possible duplicates while typing', () => {
  it('finds the same caller, and the same request retyped nearby, as the queue would score them', async () => {
    const existing = await createNeed(coordA, A, {
      title: 'Groceries for elderly couple on Herzl',
      description: 'They cannot leave home',
      requesterPhone: '052-765-4321',
      requesterEmail: 'Dov@Example.org',
      lat: 31.53,
      lng: 34.6,
    });
    const probe = (draft: Record<string, unknown>) => coordA.ok(DUPLICATES, { draft: { communityId: A, ...draft } });
    // Only the community: nothing to compare yet.
    expect((await probe({})).possibleDuplicates).toEqual([]);
    // The phone alone, typed another way.
    const byPhone = (await probe({ requesterPhone: '+972 52 765 4321' })).possibleDuplicates;
    expect(byPhone.map((d: { need: { id: string } }) => d.need.id)).toEqual([existing.id]);
    expect(byPhone[0].reasons).toContain('SAME_PHONE');
    // The e-mail, other case.
    expect((await probe({ requesterEmail: 'dov@example.ORG' })).possibleDuplicates[0].reasons).toContain('SAME_EMAIL');
    // No contact: the same request retyped 40 m away, same category.
    const near = (await probe({ title: 'Grocery delivery for an elderly couple, Herzl St', description: 'cannot leave the house', category: 'FOOD', lat: 31.5303, lng: 34.6002 }))
      .possibleDuplicates;
    expect(near.map((d: { need: { id: string } }) => d.need.id)).toEqual([existing.id]);
    expect(near[0].reasons).toEqual(expect.arrayContaining(['NEARBY', 'SIMILAR_TEXT', 'SAME_CATEGORY']));
    // Same words 2 km away: two families.
    expect((await probe({ title: 'Groceries for elderly couple on Herzl', category: 'FOOD', lat: 31.55, lng: 34.6 })).possibleDuplicates).toEqual([]);
  });

  it('is asked only of a community the operator coordinates', async () => {
    await createNeed(coordA, A, { title: 'Secret caller', requesterPhone: '054-111-2233' });
    const r = await coordB.gql(DUPLICATES, { draft: { communityId: A, requesterPhone: '054-111-2233' } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // In their own community the same number finds nothing of A's.
    expect((await coordB.ok(DUPLICATES, { draft: { communityId: B, requesterPhone: '054-111-2233' } })).possibleDuplicates).toEqual([]);
  });

  it('leaves out needs no longer being met', async () => {
    const done = await createNeed(coordA, A, { title: 'Cancelled one', requesterPhone: '053-999-8877' });
    await coordA.ok(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: done.id });
    expect((await coordA.ok(DUPLICATES, { draft: { communityId: A, requesterPhone: '053-999-8877' } })).possibleDuplicates).toEqual([]);
  });
});

describe('attaching a call to a need already recorded', () => {
  it("adds the caller's words to its history, read by coordinators only, and no second need", async () => {
    const existing = await createNeed(coordA, A, { title: 'Medicine pick-up', requesterPhone: '050-555-1212', category: 'MEDICINE' });
    const before = await s.app.services.prisma.need.count({ where: { communityId: uuid(A) } });
    const r = await coordA.ok(ATTACH, { id: existing.id, note: 'Called again: also needs her glasses from the optician.' });
    expect(r.attachCall.need).toEqual({ id: existing.id, status: 'OPEN' });
    expect(await s.app.services.prisma.need.count({ where: { communityId: uuid(A) } })).toBe(before);
    const events = `query($id: ID!) { need(id: $id) { events { edges { node { type reason } } } } }`;
    const seen = (await coordA.ok(events, { id: existing.id })).need.events.edges.map((e: { node: unknown }) => e.node);
    expect(seen).toContainEqual({ type: 'CALL_ATTACHED', reason: 'Called again: also needs her glasses from the optician.' });
    // A volunteer sees that a call came in, not what was said.
    const forVolunteer = await volA.gql(events, { id: existing.id });
    const node = forVolunteer.data!.need.events.edges.map((e: { node: { type: string } }) => e.node).find((n: { type: string }) => n.type === 'CALL_ATTACHED');
    expect(node.reason ?? null).toBeNull();
    // Another community's coordinator cannot attach; nor can anyone to a cancelled need.
    expect((await coordB.gql(ATTACH, { id: existing.id, note: 'x' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await coordA.ok(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: existing.id });
    expect((await coordA.gql(ATTACH, { id: existing.id, note: 'x' })).errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    expect((await coordA.gql(ATTACH, { id: existing.id, note: '   ' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const uuid = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;
