// Remote needs: work without a place (a phone call to an elderly person, homework help online) is
// taken in without an address or a pin. Before, intake required latitude, longitude and address,
// so an operator could not enter it at all (or made up a place, which put it on the map and near
// volunteers who would walk there). Now: `remote: true` and no place; its point is its community's
// centre; it is listed but never near anything nor a duplicate by place; a need with neither a
// place nor `remote` is refused with every missing field at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';

let s: TestServer;
let coordinator: Api;
let community: string;
const CENTRE = { lat: 31.525, lng: 34.597 };

const CREATE = `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id remote publicLat publicLng status privateDetails { address lat lng } } } }`;
const base = () => ({ communityId: community, title: 'שיחת טלפון לקשיש פעמיים בשבוע', description: 'אלמן בן 78, לבד. חצי שעה בטלפון בערב.', category: 'MENTAL_HEALTH', urgency: 'NORMAL', requesterName: 'דוד לוי', requesterPhone: '+972-52-555-0101' });

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin, undefined, CENTRE);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => s?.stop());

describe('a remote need', () => {
  it('is taken in without a place; its point is the community centre; it is listed, never near anything', async () => {
    const { createNeed } = await coordinator.ok(CREATE, { input: { ...base(), remote: true } });
    expect(createNeed.need).toMatchObject({ remote: true, status: 'OPEN', publicLat: CENTRE.lat, publicLng: CENTRE.lng, privateDetails: { address: '', lat: CENTRE.lat, lng: CENTRE.lng } });
    const listed = await coordinator.ok(`query($c: [ID!]) { needs(first: 10, filter: { communityIds: $c }) { edges { node { id remote } } } }`, { c: [community] });
    expect(listed.needs.edges.map((e: any) => e.node)).toContainEqual({ id: createNeed.need.id, remote: true });
    const near = await coordinator.ok(`query($p: PointInput!) { nearbyNeeds(point: $p, radiusKm: 5) { id } }`, { p: CENTRE });
    expect(near.nearbyNeeds.map((n: any) => n.id)).not.toContain(createNeed.need.id);
  });

  it('needs a place or `remote`: every missing field at once, nothing written', async () => {
    const before = await s.app.services.prisma.need.count();
    const r = await coordinator.gql(CREATE, { input: base() });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((r.errors![0]!.extensions!.issues as { field: string }[]).map((i) => i.field)).toEqual(['input.lat', 'input.lng', 'input.address']);
    const both = await coordinator.gql(CREATE, { input: { ...base(), remote: true, lat: 31.5, lng: 34.6, address: 'הרצל 1, שדרות' } });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await s.app.services.prisma.need.count()).toBe(before);
  });

  it('is no duplicate of another remote need by place, only by the same caller', async () => {
    const other = { ...base(), title: 'שיחה טלפונית לקשישה', requesterPhone: '+972-54-777-0202', requesterName: 'חנה שטרן' };
    const a = (await coordinator.ok(CREATE, { input: { ...base(), remote: true } })).createNeed.need;
    const b = (await coordinator.ok(CREATE, { input: { ...other, remote: true } })).createNeed.need;
    const pairs = async () => (await coordinator.ok(`{ duplicateCandidates { need { id } otherNeed { id } reasons } }`)).duplicateCandidates as any[];
    expect((await pairs()).filter((p) => [a.id, b.id].includes(p.need.id) && [a.id, b.id].includes(p.otherNeed.id))).toEqual([]);
    // The same caller again is still flagged, place or none.
    const again = (await coordinator.ok(CREATE, { input: { ...base(), remote: true } })).createNeed.need;
    expect((await pairs()).find((p) => p.need.id === again.id && p.otherNeed.id === a.id)?.reasons).toContain('SAME_PHONE');
  });
});
