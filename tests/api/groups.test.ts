// Groups, across the wire: a leader signs a named group up for several slots of a need in ONE
// claim; the rest stay open for others; a group larger than the open slots is refused as a full
// need is and changes nothing; two groups racing for the same slots: one wins; the leader sees
// who comes and can make the group smaller; where the need asks for vetting, so is every member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { vet } from '../helpers/vetting.ts';

let s: TestServer;
let admin: Api;
let coordinator: Api & { userId: string };
let community: string;

const GROUP = `mutation($input: ClaimNeedAsGroupInput!) { claimNeedAsGroup(input: $input) {
  group { id name size languages leader { id } members { name user { id } } claim { id status } need { id openSlots status } } } }`;
const REDUCE = `mutation($g: ID!, $n: Int!) { reduceGroup(groupId: $g, size: $n) { group { size need { openSlots } } } }`;
const OPEN = `query($id: ID!) { need(id: $id) { openSlots status } }`;
const names = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Picker ${i + 1}` }));
const volunteer = (label = 'volunteer') => member(s.url, admin, community, 'VOLUNTEER', label);
const farmNeed = () => createNeed(coordinator, community, { title: 'Pepper harvest at Kibbutz Nir Am', category: 'AGRICULTURE', slots: 20 });
const counts = async () => ({ claims: await s.app.services.prisma.claim.count(), groups: await s.app.services.prisma.volunteerGroup.count(), events: await s.app.services.prisma.needEvent.count() });

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
}, 60_000);
afterAll(async () => s?.stop());

describe('a group claim', () => {
  it('a group of 12 takes 12 of 20 farm slots in one claim; 9 more do not fit; one volunteer more does', async () => {
    const need = await farmNeed();
    const leader = await volunteer('leader');
    const friend = await volunteer('friend');
    const before = await counts();
    const { claimNeedAsGroup } = await leader.ok(GROUP, {
      input: { needId: need.id, name: 'Sderot youth movement', size: 12, languages: ['he', 'en'], members: [{ name: 'Leader', userId: leader.userId }, { name: 'Noa', userId: friend.userId }, ...names(3)] },
    });
    const g = claimNeedAsGroup.group;
    expect(g).toMatchObject({ name: 'Sderot youth movement', size: 12, languages: ['he', 'en'], leader: { id: leader.userId }, claim: { status: 'ACTIVE' }, need: { openSlots: 8, status: 'OPEN' } });
    const after = await counts();
    expect(after).toEqual({ claims: before.claims + 1, groups: before.groups + 1, events: before.events + 1 }); // ONE claim, one event

    // A group of 9 when 8 remain: the full need's error, nothing written.
    const other = await volunteer('other-leader');
    const refused = await other.gql(GROUP, { input: { needId: need.id, name: 'Too many', size: 9, members: names(9) } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CLAIM_CONFLICT', slots: 20, openSlots: 8 });
    expect(await counts()).toEqual(after);
    expect((await coordinator.ok(OPEN, { id: need.id })).need.openSlots).toBe(8);

    // The 8 that remain are open to anyone.
    const single = await volunteer('single');
    await single.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });
    expect((await coordinator.ok(OPEN, { id: need.id })).need).toEqual({ openSlots: 7, status: 'OPEN' });

    // The leader sees who comes, and makes the group smaller: the slots open again.
    const mine = await leader.ok(`{ myGroups { id size members { name user { id } } } }`);
    expect(mine.myGroups).toEqual([{ id: g.id, size: 12, members: [{ name: 'Leader', user: { id: leader.userId } }, { name: 'Noa', user: { id: friend.userId } }, ...names(3).map((m) => ({ ...m, user: null }))] }]);
    const reduced = await leader.ok(REDUCE, { g: g.id, n: 10 });
    expect(reduced.reduceGroup.group).toEqual({ size: 10, need: { openSlots: 9 } });
    // Not below the members it names, not larger, not by someone else.
    expect((await leader.gql(REDUCE, { g: g.id, n: 4 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
    expect((await leader.gql(REDUCE, { g: g.id, n: 11 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
    expect((await single.gql(REDUCE, { g: g.id, n: 6 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Others do not see the group.
    expect((await single.gql(`query($id: ID!) { node(id: $id) { ... on VolunteerGroup { name } } }`, { id: g.id })).data?.node).toBeNull();
    const seenByCoordinator = await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on VolunteerGroup { name size } } }`, { id: g.id });
    expect(seenByCoordinator.node).toEqual({ name: 'Sderot youth movement', size: 10 });
    // The need's claims show the group's one claim with its places.
    const claims = await coordinator.ok(`query($id: ID!) { need(id: $id) { claims { places group { name } volunteer { id } } } }`, { id: need.id });
    expect(claims.need.claims).toContainEqual({ places: 10, group: { name: 'Sderot youth movement' }, volunteer: { id: leader.userId } });
    // A group's places are not handed over to one volunteer.
    const handover = await single.gql(`mutation($id: ID!) { requestHandover(claimId: $id) { id } }`, { id: g.claim.id });
    expect(handover.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    // Released, the group's claim gives all its places back.
    await leader.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { status } } }`, { id: g.claim.id });
    expect((await coordinator.ok(OPEN, { id: need.id })).need.openSlots).toBe(19);
  });

  it('two groups of 12 racing for 20 slots: exactly one wins', async () => {
    const need = await farmNeed();
    const [a, b] = [await volunteer('racer-a'), await volunteer('racer-b')];
    const results = await Promise.all([a, b].map((l, i) => l.gql(GROUP, { input: { needId: need.id, name: `Group ${i}`, size: 12, members: names(2) } })));
    const won = results.filter((r) => !r.errors);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost[0]?.errors?.[0]?.extensions?.code).toBe('CLAIM_CONFLICT');
    expect((await coordinator.ok(OPEN, { id: need.id })).need.openSlots).toBe(8);
    const claims = await s.app.services.prisma.claim.findMany({ where: { needId: Buffer.from(need.id, 'base64').toString().split(':')[1] } });
    expect(claims.map((c) => c.places)).toEqual([12]);
  });

  it('where the need asks for vetting, every member is named by account and vetted', async () => {
    const need = await createNeed(coordinator, community, { title: 'Afternoon activities for evacuated children', category: 'CHILDCARE', slots: 6 });
    const leader = await volunteer('vetted-leader');
    const buddy = await volunteer('buddy');
    await vet(coordinator, community, leader.userId);
    const before = await counts();
    const unnamed = await leader.gql(GROUP, { input: { needId: need.id, name: 'Scouts', size: 2, members: [{ name: 'Someone' }] } });
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'members' });
    const unvetted = await leader.gql(GROUP, { input: { needId: need.id, name: 'Scouts', size: 2, members: [{ name: 'Buddy', userId: buddy.userId }] } });
    expect(unvetted.errors?.[0]?.extensions?.code).toBe('NOT_QUALIFIED');
    expect(await counts()).toEqual(before);
    await vet(coordinator, community, buddy.userId);
    const ok = await leader.ok(GROUP, { input: { needId: need.id, name: 'Scouts', size: 2, members: [{ name: 'Buddy', userId: buddy.userId }] } });
    expect(ok.claimNeedAsGroup.group.need.openSlots).toBe(4);
  });

  it('bad input writes nothing: more members than places, a non-member, a group of one', async () => {
    const need = await farmNeed();
    const leader = await volunteer('careless');
    const outsider = await member(s.url, admin, await createCommunity(admin), 'VOLUNTEER', 'outsider');
    const before = await counts();
    for (const input of [
      { needId: need.id, name: 'G', size: 2, members: names(3) },
      { needId: need.id, name: 'G', size: 3, members: [{ name: 'Out', userId: outsider.userId }] },
      { needId: need.id, name: 'G', size: 1 },
      { needId: need.id, name: '', size: 3 },
    ]) {
      const r = await leader.gql(GROUP, { input });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect((await outsider.gql(GROUP, { input: { needId: need.id, name: 'G', size: 3 } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});
