// Offers and their matches with needs, over the wire: a host's beds, rides with both ends,
// ranked candidates with reasons, a match both sides accept reserving capacity atomically (one
// winner among 100 for the last bed), who sees an offer's exact place and phone, bad input,
// and expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCentre, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { eraseExpiredOfferDetails } from '../../api/src/domain/retention.ts';
import { uuidOf } from '../helpers/world.ts';

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api & { userId: string };
let host: Api & { userId: string };
let stranger: Api & { userId: string };
let operator: Api & { userId: string };

const SDEROT = { lat: 31.525, lng: 34.5969 };
const BEER_SHEVA = { lat: 31.2518, lng: 34.7913 };
const TEL_AVIV = { lat: 32.0853, lng: 34.7818 };
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

const OFFER_FIELDS = `id kind title capacity remaining beds seats publicLat publicLng destinationPublicLat destinationPublicLng expiresAt`;
const CREATE_OFFER = `mutation($input: CreateOfferInput!) { createOffer(input: $input) { offer { ${OFFER_FIELDS} } } }`;
const PROPOSE = `mutation($input: ProposeOfferMatchInput!) { proposeOfferMatch(input: $input) { match { id status quantity offerAcceptedAt needAcceptedAt } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOfferMatch(id: $id) { match { id status quantity offerAcceptedAt needAcceptedAt acceptedAt } } }`;
const OFFERS_FOR_NEED = `query($id: ID!) { offersForNeed(needId: $id, first: 20) { offer { id kind } score reasons { code text weight } } }`;
const OFFER_PRIVATE = `query($id: ID!) { offer(id: $id) { id publicLat privateDetails { address lat lng contactPhone contactName destination { address } } } }`;
const NEED_PRIVATE = `query($id: ID!) { need(id: $id) { id status privateDetails { address destination { address } } } }`;

const hosting = (over: Record<string, unknown> = {}, beds = 4) => ({
  communityId: community,
  kind: 'HOSTING',
  title: 'A flat with room for a family',
  place: { ...SDEROT, address: '4 Hidden Host St, Sderot' },
  availableFrom: inDays(0),
  availableUntil: inDays(30),
  languages: ['he', 'ru'],
  stepFree: true,
  hosting: { beds, petsAllowed: true },
  ...over,
});

const ride = (destination: { lat: number; lng: number }, address: string, over: Record<string, unknown> = {}) => ({
  communityId: community,
  kind: 'RIDE',
  title: 'A ride south',
  place: { lat: SDEROT.lat + 0.002, lng: SDEROT.lng + 0.002, address: '1 Origin Rd, Sderot' },
  availableFrom: inDays(0),
  availableUntil: inDays(2),
  ride: { destination: { ...destination, address }, seats: 3, recurringNote: 'Every Sunday at 8' },
  ...over,
});

/** The community asks vetting of hosts by default; these needs (adults, a night) ask none. */
const NO_VETTING = { requirements: { identityCheck: false, backgroundCheck: false, trainings: [] } };
const hostingNeed = (over: Record<string, unknown>) => createNeed(coordinator, community, { category: 'HOSTING', ...NO_VETTING, ...over });

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin, undefined, SDEROT);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  host = await member(s.url, admin, community, 'VOLUNTEER', 'host');
  stranger = await member(s.url, admin, community, 'VOLUNTEER', 'stranger');
  const centre = await createCentre(admin, [community]);
  operator = await member(s.url, admin, centre, 'HOTLINE_OPERATOR', 'operator');
}, 120_000);
afterAll(async () => s?.stop());
afterEach(() => s.app.services.clock.reset());

describe('a host offer', () => {
  it('of 4 beds matched to a family of 3 leaves 1 bed, once both sides accept', async () => {
    const offer = (await host.ok(CREATE_OFFER, { input: hosting() })).createOffer.offer;
    expect(offer).toMatchObject({ kind: 'HOSTING', capacity: 4, remaining: 4, beds: 4, seats: null });
    const need = await hostingNeed({ title: 'A family of three needs a place', people: 3, needsStepFree: true });

    const ranked = (await coordinator.ok(OFFERS_FOR_NEED, { id: need.id })).offersForNeed;
    const mine = ranked.find((c: any) => c.offer.id === offer.id);
    expect(mine.reasons.map((r: any) => r.code)).toEqual(expect.arrayContaining(['CAPACITY', 'DATES', 'DISTANCE', 'LANGUAGE', 'STEP_FREE']));

    const match = (await coordinator.ok(PROPOSE, { input: { offerId: offer.id, needId: need.id, quantity: 3 } })).proposeOfferMatch.match;
    expect(match).toMatchObject({ status: 'PROPOSED', quantity: 3, offerAcceptedAt: null, needAcceptedAt: null });
    // Another volunteer answers for neither side.
    expect(codeOf(await stranger.gql(ACCEPT, { id: match.id }))).toBe('FORBIDDEN');

    const half = (await host.ok(ACCEPT, { id: match.id })).acceptOfferMatch.match;
    expect(half.status).toBe('PROPOSED');
    expect(half.offerAcceptedAt).not.toBeNull();
    expect((await host.ok(`query($id: ID!) { offer(id: $id) { remaining } }`, { id: offer.id })).offer.remaining).toBe(4);

    const done = (await coordinator.ok(ACCEPT, { id: match.id })).acceptOfferMatch.match;
    expect(done).toMatchObject({ status: 'ACCEPTED', quantity: 3 });
    expect((await host.ok(`query($id: ID!) { offer(id: $id) { remaining } }`, { id: offer.id })).offer.remaining).toBe(1);
    // The need is taken, with its event on the board's history.
    const after = (await coordinator.ok(`query($id: ID!) { need(id: $id) { status openSlots events { edges { node { type } } } } }`, { id: need.id })).need;
    expect(after.status).toBe('CLAIMED');
    expect(after.openSlots).toBe(0);
    expect(after.events.edges.map((e: any) => e.node.type)).toContain('ASSIGNED');
    // Accepted is final.
    expect(codeOf(await coordinator.gql(ACCEPT, { id: match.id }))).toBe('ILLEGAL_TRANSITION');
    // What is left is one bed: a match for two is refused at once.
    const another = await hostingNeed({ title: 'Two more people', people: 2 });
    const tooMany = await coordinator.gql(PROPOSE, { input: { offerId: offer.id, needId: another.id, quantity: 2 } });
    expect(codeOf(tooMany)).toBe('OFFER_CAPACITY_EXHAUSTED');
    expect(tooMany.errors![0]!.extensions!.remaining).toBe(1);

    // The host lets the slot go (their claim on the need, released): the beds return to the offer.
    const claim = (await host.ok(`{ myClaims { id need { id } } }`)).myClaims.find((c: any) => c.need.id === need.id);
    await host.ok(`mutation($id: ID!) { releaseClaim(claimId: $id, reason: "plans changed") { claim { status } } }`, { id: claim.id });
    const back = (await host.ok(`query($id: ID!) { offer(id: $id) { remaining matches { status releasedAt } } }`, { id: offer.id })).offer;
    expect(back.remaining).toBe(4);
    expect(back.matches).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
    expect((await coordinator.ok(`query($id: ID!) { need(id: $id) { status } }`, { id: need.id })).need.status).toBe('OPEN');
  });

  it("keeps the claim rules: an unvetted host is refused a need that asks for vetting, and nothing is reserved", async () => {
    const offer = (await host.ok(CREATE_OFFER, { input: hosting({ title: 'Room for children' }, 2) })).createOffer.offer;
    const children = await createNeed(coordinator, community, { category: 'HOSTING', title: 'Two children', people: 2 });
    const match = (await coordinator.ok(PROPOSE, { input: { offerId: offer.id, needId: children.id, quantity: 2 } })).proposeOfferMatch.match;
    await host.ok(ACCEPT, { id: match.id });
    const refused = await coordinator.gql(ACCEPT, { id: match.id });
    expect(codeOf(refused)).toBe('NOT_QUALIFIED');
    expect((await host.ok(`query($id: ID!) { offer(id: $id) { remaining matches { status needAcceptedAt } } }`, { id: offer.id })).offer).toEqual({
      remaining: 2,
      matches: [{ status: 'PROPOSED', needAcceptedAt: null }],
    });
  });

  it('100 concurrent acceptances of different matches for its last bed: exactly one wins, the rest change nothing', async () => {
    const offer = (await host.ok(CREATE_OFFER, { input: hosting({ title: 'The last bed' }, 1) })).createOffer.offer;
    const needs: any[] = [];
    for (let batch = 0; batch < 10; batch++) {
      needs.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            hostingNeed({ title: `One person, bed ${batch * 10 + i}`, people: 1, requesterPhone: `+972-50-700-${String(batch * 10 + i).padStart(4, '0')}` }),
          ),
        )),
      );
    }
    const matches: string[] = [];
    for (const need of needs) matches.push((await coordinator.ok(PROPOSE, { input: { offerId: offer.id, needId: need.id, quantity: 1 } })).proposeOfferMatch.match.id);
    // The host says yes to every proposal: nothing is reserved until the need side answers too.
    for (const id of matches) expect((await host.ok(ACCEPT, { id })).acceptOfferMatch.match.status).toBe('PROPOSED');
    const eventsBefore = await s.app.services.prisma.needEvent.count();

    const results = await Promise.all(matches.map((id) => coordinator.gql(ACCEPT, { id })));
    const won = results.filter((r) => r.data?.acceptOfferMatch?.match?.status === 'ACCEPTED');
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(99);
    for (const r of lost) {
      expect(r.errors![0]!.extensions!.code).toBe('OFFER_CAPACITY_EXHAUSTED');
      expect(r.errors![0]!.message).toMatch(/another match took it first/);
    }

    expect((await host.ok(`query($id: ID!) { offer(id: $id) { remaining matches { status needAcceptedAt } } }`, { id: offer.id })).offer).toMatchObject({ remaining: 0 });
    const state = (await host.ok(`query($id: ID!) { offer(id: $id) { matches { status needAcceptedAt } } }`, { id: offer.id })).offer.matches;
    expect(state.filter((m: any) => m.status === 'ACCEPTED')).toHaveLength(1);
    // The losers are as they were: proposed, waiting for the need side.
    expect(state.filter((m: any) => m.status === 'PROPOSED' && m.needAcceptedAt === null)).toHaveLength(99);
    const statuses = (await coordinator.ok(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Need { status } } }`, { ids: needs.map((n) => n.id) })).nodes.map((n: any) => n.status);
    expect(statuses.filter((st: string) => st === 'CLAIMED')).toHaveLength(1);
    expect(statuses.filter((st: string) => st === 'OPEN')).toHaveLength(99);
    // One event: the winner's ASSIGNED.
    expect(await s.app.services.prisma.needEvent.count()).toBe(eventsBefore + 1);
  }, 240_000);
});

describe('rides', () => {
  it('are ranked by both ends: the one going where the need goes comes first', async () => {
    const driverA = await member(s.url, admin, community, 'VOLUNTEER', 'driver-a');
    const driverB = await member(s.url, admin, community, 'VOLUNTEER', 'driver-b');
    const toBeerSheva = (await driverA.ok(CREATE_OFFER, { input: ride(BEER_SHEVA, '9 Soroka Ave, Beer Sheva') })).createOffer.offer;
    const toTelAviv = (await driverB.ok(CREATE_OFFER, { input: ride(TEL_AVIV, '1 Dizengoff, Tel Aviv') })).createOffer.offer;
    expect(toBeerSheva).toMatchObject({ kind: 'RIDE', seats: 3, beds: null });
    expect(toBeerSheva.destinationPublicLat).toBeCloseTo(BEER_SHEVA.lat, 1);

    const need = await createNeed(coordinator, community, {
      category: 'TRANSPORT',
      title: 'Two people to the hospital',
      people: 2,
      destination: { lat: BEER_SHEVA.lat + 0.003, lng: BEER_SHEVA.lng - 0.002, address: 'Soroka hospital, Beer Sheva' },
    });
    const withDestination = (await coordinator.ok(`query($id: ID!) { need(id: $id) { destinationPublicLat privateDetails { destination { address lat } } } }`, { id: need.id })).need;
    expect(withDestination.destinationPublicLat).toBeCloseTo(BEER_SHEVA.lat, 1);
    expect(withDestination.privateDetails.destination.address).toBe('Soroka hospital, Beer Sheva');

    const ranked = (await coordinator.ok(OFFERS_FOR_NEED, { id: need.id })).offersForNeed;
    const ids = ranked.map((c: any) => c.offer.id);
    expect(ids.indexOf(toBeerSheva.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(toBeerSheva.id)).toBeLessThan(ids.indexOf(toTelAviv.id));
    const a = ranked.find((c: any) => c.offer.id === toBeerSheva.id);
    const b = ranked.find((c: any) => c.offer.id === toTelAviv.id);
    expect(a.score).toBeGreaterThan(b.score);
    expect(a.reasons.map((r: any) => r.code)).toEqual(expect.arrayContaining(['DISTANCE', 'DESTINATION', 'CAPACITY']));
    expect(b.reasons.map((r: any) => r.code)).toContain('TOO_FAR');
    // Only rides answer a ride.
    expect(ranked.every((c: any) => c.offer.kind === 'RIDE')).toBe(true);

    // And the other way: the driver sees the need among those their ride could answer.
    const forRide = (await driverA.ok(`query($id: ID!) { needsForOffer(offerId: $id, first: 50) { need { id } reasons { code } } }`, { id: toBeerSheva.id })).needsForOffer;
    expect(forRide.find((m: any) => m.need.id === need.id).reasons.map((r: any) => r.code)).toContain('DESTINATION');
    // The destination moves with an edit; a small move keeps its public point.
    const UPDATE = `mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { destinationPublicLat destinationPublicLng privateDetails { destination { address } } } } }`;
    const moved = (await coordinator.ok(UPDATE, { id: need.id, input: { destination: { lat: BEER_SHEVA.lat + 0.0031, lng: BEER_SHEVA.lng - 0.002, address: 'Soroka, gate 2' } } })).updateNeed.need;
    expect(moved).toMatchObject({ destinationPublicLat: withDestination.destinationPublicLat, privateDetails: { destination: { address: 'Soroka, gate 2' } } });
    const cleared = (await coordinator.ok(UPDATE, { id: need.id, input: { destination: null } })).updateNeed.need;
    expect(cleared).toMatchObject({ destinationPublicLat: null, destinationPublicLng: null, privateDetails: { destination: null } });
    // A destination belongs to TRANSPORT needs only.
    const wrong = await coordinator.gql(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`, {
      input: { communityId: community, title: 'Food', category: 'FOOD', urgency: 'LOW', ...SDEROT, address: 'x', requesterName: 'R', destination: { ...TEL_AVIV, address: 'y' } },
    });
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
  });
});

describe('privacy', () => {
  it("an offer's exact place and phone: the offerer, coordinators, and the need side once matched; no other volunteer", async () => {
    const driver = await member(s.url, admin, community, 'VOLUNTEER', 'driver-p');
    const offer = (
      await driver.ok(CREATE_OFFER, {
        input: ride(BEER_SHEVA, '77 Secret Dest St, Beer Sheva', { place: { ...SDEROT, address: '55 Secret Origin St, Sderot' }, contactPhone: '+972-52-999-1234', languages: ['am'] }),
      })
    ).createOffer.offer;
    // The need was taken in by a hotline operator: they answer for the requester.
    const need = await createNeed(operator, community, { category: 'TRANSPORT', title: 'A ride to Beer Sheva', people: 1, address: '88 Requester Lane, Sderot', destination: { ...BEER_SHEVA, address: 'Soroka' } });

    const hidden = await stranger.gql(OFFER_PRIVATE, { id: offer.id });
    expect(codeOf(hidden)).toBe('FORBIDDEN');
    expect(hidden.data.offer.publicLat).toBeTypeOf('number');
    expect(JSON.stringify(hidden)).not.toMatch(/Secret|999-1234/);
    const anonymous = await new (host.constructor as any)(s.url).gql(OFFER_PRIVATE, { id: offer.id });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(anonymous)).not.toMatch(/Secret|999-1234/);

    const uuid = Buffer.from(offer.id, 'base64').toString().split(':')[1]!;
    // A refused read is no read: nothing logged.
    expect(await s.app.services.prisma.offerAccessLog.count({ where: { offerId: uuid } })).toBe(0);
    const seen = (await coordinator.ok(OFFER_PRIVATE, { id: offer.id })).offer.privateDetails;
    expect(await s.app.services.prisma.offerAccessLog.count({ where: { offerId: uuid, userId: Buffer.from(coordinator.userId, 'base64').toString().split(':')[1]! } })).toBe(1);
    expect(seen).toMatchObject({ address: '55 Secret Origin St, Sderot', contactPhone: '+972-52-999-1234', destination: { address: '77 Secret Dest St, Beer Sheva' } });
    expect((await driver.ok(OFFER_PRIVATE, { id: offer.id })).offer.privateDetails.address).toBe('55 Secret Origin St, Sderot');
    // The requester's language is private: the offerer's ranking does not read it, the coordinators' does.
    const reasonsFor = async (who: Api) =>
      (await who.ok(`query($id: ID!) { needsForOffer(offerId: $id, first: 100) { need { id } reasons { code } } }`, { id: offer.id })).needsForOffer
        .find((m: any) => m.need.id === need.id)
        .reasons.map((r: any) => r.code);
    expect(await reasonsFor(coordinator)).toContain('NO_COMMON_LANGUAGE');
    expect((await reasonsFor(driver)).filter((c: string) => /LANGUAGE/.test(c))).toEqual([]);
    // Before the match, neither side sees the other's.
    expect(codeOf(await operator.gql(OFFER_PRIVATE, { id: offer.id }))).toBe('FORBIDDEN');
    expect(codeOf(await driver.gql(NEED_PRIVATE, { id: need.id }))).toBe('FORBIDDEN');

    const match = (await coordinator.ok(PROPOSE, { input: { offerId: offer.id, needId: need.id, quantity: 1 } })).proposeOfferMatch.match;
    // Each side finds what to answer: the driver among their offers, the operator on the need they took in.
    const mine = (await driver.ok(`{ myOffers { id matches { id status } } }`)).myOffers.find((o: any) => o.id === offer.id);
    expect(mine.matches).toEqual([{ id: match.id, status: 'PROPOSED' }]);
    const NEED_MATCHES = `query($id: ID!) { need(id: $id) { offerMatches { id quantity offer { id } } } }`;
    expect((await operator.ok(NEED_MATCHES, { id: need.id })).need.offerMatches).toEqual([{ id: match.id, quantity: 1, offer: { id: offer.id } }]);
    expect(codeOf(await stranger.gql(NEED_MATCHES, { id: need.id }))).toBe('FORBIDDEN');
    await driver.ok(ACCEPT, { id: match.id });
    expect(codeOf(await operator.gql(OFFER_PRIVATE, { id: offer.id }))).toBe('FORBIDDEN');
    expect((await operator.ok(ACCEPT, { id: match.id })).acceptOfferMatch.match.status).toBe('ACCEPTED');

    // Matched: the need side sees the offer's, the offerer the need's; the stranger still nothing.
    expect((await operator.ok(OFFER_PRIVATE, { id: offer.id })).offer.privateDetails).toMatchObject({ address: '55 Secret Origin St, Sderot', contactPhone: '+972-52-999-1234' });
    expect((await driver.ok(NEED_PRIVATE, { id: need.id })).need.privateDetails).toMatchObject({ address: '88 Requester Lane, Sderot', destination: { address: 'Soroka' } });
    expect(codeOf(await stranger.gql(OFFER_PRIVATE, { id: offer.id }))).toBe('FORBIDDEN');
    expect(codeOf(await stranger.gql(NEED_PRIVATE, { id: need.id }))).toBe('FORBIDDEN');
    // The match itself is for its parties.
    const asStranger = await stranger.gql(`query($id: ID!) { node(id: $id) { ... on OfferMatch { status } } }`, { id: match.id });
    expect(JSON.stringify(asStranger.data)).not.toContain('ACCEPTED');
    // Rankings read public values only: the same for everyone who may ask.
    const matches = (await driver.ok(`query($id: ID!) { needsForOffer(offerId: $id) { need { id } } }`, { id: offer.id })).needsForOffer;
    expect(JSON.stringify(matches)).not.toMatch(/Requester Lane/);
  });
});

describe('public points', () => {
  it("an offer never takes a need's public point (no oracle for guessed addresses); one offerer's offers at one place share theirs", async () => {
    const at = { lat: 31.5301, lng: 34.6012 };
    const need = await hostingNeed({ title: 'At a place a volunteer might guess', ...at, address: '3 Guessed St, Sderot' });
    const probe = (await stranger.ok(CREATE_OFFER, { input: hosting({ title: 'At the guessed place', place: { ...at, address: '3 Guessed St, Sderot' } }) })).createOffer.offer;
    expect([probe.publicLat, probe.publicLng]).not.toEqual([need.publicLat, need.publicLng]);
    const again = (await stranger.ok(CREATE_OFFER, { input: hosting({ title: 'Again, same home', place: { lat: at.lat + 0.0001, lng: at.lng, address: '3 Guessed St, Sderot' } }) })).createOffer.offer;
    expect([again.publicLat, again.publicLng]).toEqual([probe.publicLat, probe.publicLng]);
  });
});

describe('bad input', () => {
  it('negative beds, an availability ending before it starts, the wrong details: BAD_USER_INPUT naming the field, nothing written', async () => {
    const before = await s.app.services.prisma.offer.count();
    const fieldsOf = (r: any) => (r.errors?.[0]?.extensions?.issues ?? []).map((i: any) => i.field);

    const negative = await host.gql(CREATE_OFFER, { input: hosting({}, -2) });
    expect(codeOf(negative)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(negative)).toContain('input.hosting.beds');

    const backwards = await host.gql(CREATE_OFFER, { input: hosting({ availableFrom: inDays(5), availableUntil: inDays(1) }) });
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(backwards)).toContain('input.availableUntil');

    const mixed = await host.gql(CREATE_OFFER, { input: { ...hosting(), hosting: undefined, ride: { destination: { ...TEL_AVIV, address: 'x' }, seats: 2 } } });
    expect(codeOf(mixed)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(mixed)).toEqual(expect.arrayContaining(['input.hosting', 'input.ride']));

    const past = await host.gql(CREATE_OFFER, { input: hosting({ availableFrom: inDays(-3), availableUntil: inDays(-1) }) });
    expect(codeOf(past)).toBe('BAD_USER_INPUT');

    const noGoods = await host.gql(CREATE_OFFER, { input: { ...hosting(), kind: 'GOODS', hosting: undefined, goods: { items: [{ item: 'Blankets', quantity: -1 }] } } });
    expect(codeOf(noGoods)).toBe('BAD_USER_INPUT');

    expect(await s.app.services.prisma.offer.count()).toBe(before);

    // A proposal for nothing, or for a need the offer cannot answer, writes nothing either.
    const offer = (await host.ok(CREATE_OFFER, { input: hosting() })).createOffer.offer;
    const food = await createNeed(coordinator, community, { category: 'FOOD', title: 'Groceries' });
    const matchesBefore = await s.app.services.prisma.offerMatch.count();
    expect(codeOf(await coordinator.gql(PROPOSE, { input: { offerId: offer.id, needId: food.id, quantity: 0 } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await coordinator.gql(PROPOSE, { input: { offerId: offer.id, needId: food.id, quantity: 1 } }))).toBe('BAD_USER_INPUT');
    // A volunteer does not propose.
    expect(codeOf(await host.gql(PROPOSE, { input: { offerId: offer.id, needId: food.id, quantity: 1 } }))).toBe('FORBIDDEN');
    expect(await s.app.services.prisma.offerMatch.count()).toBe(matchesBefore);
  });
});

describe('expiry', () => {
  it('an expired offer is neither listed nor matched, though it can still be read by id', async () => {
    const offer = (await host.ok(CREATE_OFFER, { input: hosting({ title: 'Only for tonight', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, 2) })).createOffer.offer;
    const need = await hostingNeed({ title: 'Tonight, two people', people: 2 });
    const listed = async () =>
      (await stranger.ok(`query($c: [ID!], $k: [OfferKind!]) { offers(first: 100, filter: { communityIds: $c, kinds: $k }) { edges { node { id } } } }`, { c: [community], k: ['HOSTING'] })).offers.edges.map(
        (e: any) => e.node.id,
      );
    expect(await listed()).toContain(offer.id);
    expect((await coordinator.ok(OFFERS_FOR_NEED, { id: need.id })).offersForNeed.map((c: any) => c.offer.id)).toContain(offer.id);
    // Rides are not hosting: the kind filter holds.
    const rides = (await stranger.ok(`query($c: [ID!]) { offers(first: 100, filter: { communityIds: $c, kinds: [RIDE] }) { edges { node { kind } } } }`, { c: [community] })).offers.edges;
    expect(rides.every((e: any) => e.node.kind === 'RIDE')).toBe(true);

    s.app.services.clock.advance(2 * 3_600_000);
    expect(await listed()).not.toContain(offer.id);
    expect((await coordinator.ok(OFFERS_FOR_NEED, { id: need.id })).offersForNeed.map((c: any) => c.offer.id)).not.toContain(offer.id);
    expect(codeOf(await coordinator.gql(PROPOSE, { input: { offerId: offer.id, needId: need.id, quantity: 1 } }))).toBe('OFFER_EXPIRED');
    expect((await stranger.ok(`query($id: ID!) { offer(id: $id) { id title } }`, { id: offer.id })).offer.title).toBe('Only for tonight');
  });

  it('a withdrawn offer: no longer listed, its proposals no longer accepted; only its offerer or a coordinator withdraws it', async () => {
    const offer = (await host.ok(CREATE_OFFER, { input: hosting({ title: 'Until plans change' }, 2) })).createOffer.offer;
    const need = await hostingNeed({ title: 'Two people, this week', people: 2 });
    const match = (await coordinator.ok(PROPOSE, { input: { offerId: offer.id, needId: need.id, quantity: 2 } })).proposeOfferMatch.match;
    await coordinator.ok(ACCEPT, { id: match.id });
    const WITHDRAW = `mutation($id: ID!) { withdrawOffer(id: $id) { offer { id expiresAt } } }`;
    expect(codeOf(await stranger.gql(WITHDRAW, { id: offer.id }))).toBe('FORBIDDEN');
    await host.ok(WITHDRAW, { id: offer.id });
    const listed = (await stranger.ok(`query($c: [ID!]) { offers(first: 100, filter: { communityIds: $c }) { edges { node { id } } } }`, { c: [community] })).offers.edges.map((e: any) => e.node.id);
    expect(listed).not.toContain(offer.id);
    expect(codeOf(await host.gql(ACCEPT, { id: match.id }))).toBe('OFFER_EXPIRED');
    expect((await host.ok(`query($id: ID!) { offer(id: $id) { remaining } }`, { id: offer.id })).offer.remaining).toBe(2);
  });
});

describe('retention', () => {
  it("RETENTION_DAYS after an offer expired, its exact place, destination, address and contact are erased; the public record stays", async () => {
    const OFFER = `query($id: ID!) { offer(id: $id) { title seats publicLat publicLng destinationPublicLat privateDetails { address lat lng contactPhone destination { address lat lng } } } }`;
    const expiring = (await host.ok(CREATE_OFFER, { input: ride(BEER_SHEVA, '9 Soroka Ave, Beer Sheva', { contactPhone: '+972-50-765-4321', availableUntil: inDays(1) }) })).createOffer.offer;
    const standing = (await host.ok(CREATE_OFFER, { input: hosting({ title: 'Standing for long', availableUntil: inDays(400) }) })).createOffer.offer;
    const read = async (id: string) => (await host.ok(OFFER, { id })).offer;
    const before = await read(expiring.id);
    expect(before.privateDetails).toMatchObject({ address: '1 Origin Rd, Sderot', contactPhone: '+972-50-765-4321', destination: { address: '9 Soroka Ave, Beer Sheva' } });
    const standingBefore = await read(standing.id);

    const days = s.app.services.rules.retention.days;
    const stored = () => s.app.services.prisma.offer.findUniqueOrThrow({ where: { id: uuidOf(expiring.id) } });
    // An hour short of RETENTION_DAYS after it expired: kept.
    s.app.services.clock.advance((1 + days) * DAY - 3_600_000);
    await eraseExpiredOfferDetails(s.app.services);
    expect(await stored()).toMatchObject({ address: '1 Origin Rd, Sderot', privateErasedAt: null });
    s.app.services.clock.advance(2 * 3_600_000);
    await eraseExpiredOfferDetails(s.app.services);
    const erasedAt = (await stored()).privateErasedAt;
    expect(erasedAt).not.toBeNull();
    // Done once: a later round leaves it as it is.
    s.app.services.clock.advance(DAY);
    await eraseExpiredOfferDetails(s.app.services);
    expect((await stored()).privateErasedAt).toEqual(erasedAt);
    s.app.services.clock.reset();

    const after = await read(expiring.id);
    expect(after.privateDetails).toEqual({
      address: '',
      lat: before.publicLat,
      lng: before.publicLng,
      contactPhone: null,
      destination: { address: '', lat: before.destinationPublicLat, lng: expect.any(Number) },
    });
    expect(after).toMatchObject({ title: before.title, seats: before.seats, publicLat: before.publicLat, publicLng: before.publicLng });
    // An offer still standing is not touched.
    expect(await read(standing.id)).toEqual(standingBefore);
  });
});
