// Offers: the type with its public and private faces, the lists, the rankings both ways (offers
// for a need, needs for an offer), and the matches a coordinator proposes and both sides accept.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { CommunityRef } from './communities.ts';
import { NeedRef, PlaceInput, PlaceRef, readsNeed } from './needs.ts';
import { MatchReasonRef, NeedMatchRef } from './coordination.ts';
import { phoneRule } from '../domain/needRules.ts';
import {
  availabilityRule,
  createOffer,
  withdrawOffer,
  offerFieldRules,
  standingOffers,
  type OfferInput,
  type OfferItem,
} from '../domain/offers.ts';
import { answersForNeed, canSeeOfferMatch, readOfferPrivateDetails, viewerCanSeeOfferPrivate } from '../domain/privacy.ts';
import { acceptOfferMatch, declineOfferMatch, needsForOffer, offersForNeed, proposeOfferMatch, type OfferReason } from '../domain/offerMatching.ts';
import { OfferKind } from '../generated/prisma/enums.ts';
import type { Offer, OfferMatch, Prisma } from '../generated/prisma/client.ts';
import type { Context } from '../context.ts';

export const OfferKindEnum = builder.enumType(OfferKind, { name: 'OfferKind' });
const OfferMatchStatusEnum = builder.enumType('OfferMatchStatus', {
  values: {
    PROPOSED: { description: 'Waiting for the offerer and the need side to accept.' },
    ACCEPTED: { description: "Both accepted: the offer's quantity is reserved and the offerer holds a slot of the need." },
    DECLINED: {},
    RELEASED: { description: 'Accepted, then the offerer let the slot go (released, or unassigned by a coordinator): the quantity went back to the offer.' },
  } as const,
});

const OfferItemRef = builder.objectRef<OfferItem>('OfferItem').implement({
  authScopes: { public: true },
  fields: (t) => ({
    item: t.exposeString('item', { authScopes: { public: true } }),
    quantity: t.exposeFloat('quantity', { authScopes: { public: true } }),
    unit: t.exposeString('unit', { authScopes: { public: true } }),
  }),
});

type OfferPrivate = Awaited<ReturnType<typeof readOfferPrivateDetails>>;

const OfferPrivateDetailsRef = builder.objectRef<OfferPrivate>('OfferPrivateDetails').implement({
  description: "The offer's exact place, a ride's destination, and whom to call. Every read is logged.",
  authScopes: { signedIn: true },
  fields: (t) => ({
    lat: t.exposeFloat('lat', { authScopes: { signedIn: true } }),
    lng: t.exposeFloat('lng', { authScopes: { signedIn: true } }),
    address: t.exposeString('address', { authScopes: { signedIn: true } }),
    destination: t.field({ type: PlaceRef, nullable: true, authScopes: { signedIn: true }, resolve: (d) => d.destination }),
    contactName: t.exposeString('contactName', { authScopes: { signedIn: true } }),
    contactPhone: t.exposeString('contactPhone', { nullable: true, authScopes: { signedIn: true } }),
  }),
});

const canSeePrivate = (o: Pick<Offer, 'id' | 'communityId' | 'offeredById'>, ctx: Context) => viewerCanSeeOfferPrivate(ctx.services, ctx.viewer, o);

const capacityOf = (kind: OfferKind) => (o: Offer) => (o.kind === kind ? o.capacity : null);

export const OfferRef = builder.prismaNode('Offer', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { public: true },
  // Public, not run (schema/publicScopes.ts); no runScopesOnType, as for Need (graphql/jit.ts: no isTypeOf).
  description: 'Help offered in a community. Public like a need on the board; its exact place and contact only for its offerer, the coordinators and the matched need side.',
  fields: (t) => ({
    kind: t.expose('kind', { type: OfferKindEnum, authScopes: { public: true } }),
    title: t.exposeString('title', { authScopes: { public: true } }),
    description: t.exposeString('description', { authScopes: { public: true } }),
    organisation: t.exposeString('organisation', { nullable: true, authScopes: { public: true }, description: 'The organisation a coordinator offers for.' }),
    community: t.relation('community', { authScopes: { public: true } }),
    capacity: t.exposeInt('capacity', { authScopes: { public: true }, description: 'Beds (HOSTING), seats (RIDE), households (GOODS) or hours (SKILL).' }),
    remaining: t.exposeInt('remaining', { authScopes: { public: true }, description: 'What accepted matches have not taken of the capacity.' }),
    beds: t.int({ nullable: true, authScopes: { public: true }, resolve: capacityOf('HOSTING') }),
    seats: t.int({ nullable: true, authScopes: { public: true }, resolve: capacityOf('RIDE') }),
    hours: t.int({ nullable: true, authScopes: { public: true }, resolve: capacityOf('SKILL') }),
    households: t.int({ nullable: true, authScopes: { public: true }, resolve: capacityOf('GOODS') }),
    items: t.field({ type: [OfferItemRef], authScopes: { public: true }, description: 'GOODS: what and how much.', resolve: (o) => (o.items as OfferItem[] | null) ?? [] }),
    service: t.exposeString('service', { nullable: true, authScopes: { public: true }, description: 'SKILL: the service offered.' }),
    availableFrom: t.expose('availableFrom', { type: 'DateTime', nullable: true, authScopes: { public: true }, description: 'For a ride: when it leaves.' }),
    availableUntil: t.expose('availableUntil', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', authScopes: { public: true }, description: 'From then on the offer is neither listed nor matched.' }),
    stepFree: t.exposeBoolean('stepFree', { authScopes: { public: true } }),
    petsAllowed: t.exposeBoolean('petsAllowed', { authScopes: { public: true } }),
    languages: t.exposeStringList('languages', { authScopes: { public: true } }),
    recurringNote: t.exposeString('recurringNote', { nullable: true, authScopes: { public: true } }),
    publicLat: t.exposeFloat('publicLat', { authScopes: { public: true }, description: 'Approximate: a few hundred metres from the real place (a ride: its origin).' }),
    publicLng: t.exposeFloat('publicLng', { authScopes: { public: true } }),
    destinationPublicLat: t.exposeFloat('destinationPublicLat', { nullable: true, authScopes: { public: true }, description: "A ride's destination, approximate." }),
    destinationPublicLng: t.exposeFloat('destinationPublicLng', { nullable: true, authScopes: { public: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { public: true } }),
    privateDetails: t.field({
      type: OfferPrivateDetailsRef,
      nullable: true,
      description: 'Only for the offerer, coordinators of the community, and the need side of an accepted match; others get FORBIDDEN.',
      authScopes: (o, _args, ctx) => canSeePrivate(o, ctx),
      resolve: (o, _a, ctx) => readOfferPrivateDetails(ctx.services, ctx.viewer!, o),
    }),
    matches: t.relation('matches', {
      description: 'The matches proposed for this offer, newest first: for its offerer and the coordinators of its community.',
      authScopes: (o, _args, ctx) => o.offeredById === ctx.viewer?.id || { coordinatorOf: o.communityId },
      query: { orderBy: [{ proposedAt: 'desc' }, { id: 'desc' }], take: 200 },
    }),
  }),
});

export const OfferMatchRef = builder.prismaNode('OfferMatch', {
  id: { field: 'id' },
  nullable: true,
  authScopes: async (m, ctx) => {
    const full = await ctx.services.prisma.offerMatch.findUnique({
      where: { id: m.id },
      select: { needAcceptedById: true, offer: { select: { offeredById: true, communityId: true } }, need: { select: { communityId: true, createdById: true } } },
    });
    return !!full && canSeeOfferMatch(ctx.viewer, full);
  },
  fields: (t) => ({
    status: t.expose('status', { type: OfferMatchStatusEnum, authScopes: { signedIn: true } }),
    quantity: t.exposeInt('quantity', { authScopes: { signedIn: true }, description: 'Of the offer: beds, seats, households or hours.' }),
    offer: t.relation('offer', { authScopes: { signedIn: true } }),
    need: t.relation('need', { authScopes: { signedIn: true } }),
    proposedAt: t.expose('proposedAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    offerAcceptedAt: t.expose('offerAcceptedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    needAcceptedAt: t.expose('needAcceptedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    declinedAt: t.expose('declinedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
  }),
});

builder.prismaObjectField('Need', 'offerMatches', (t) =>
  t.relation('offerMatches', {
    description: "The offers proposed for this need, newest first: for the need's side (its coordinators, and whoever took it in while they take calls for it).",
    authScopes: (n, _args, ctx) => answersForNeed(ctx.viewer, n),
    extensions: readsNeed('communityId', 'createdById'),
    query: { orderBy: [{ proposedAt: 'desc' }, { id: 'desc' }], take: 200 },
  }),
);

const OfferCandidateRef = builder.objectRef<{ subject: Offer; score: number; reasons: OfferReason[] }>('OfferCandidate').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({
    offer: t.field({ type: OfferRef, authScopes: { signedIn: true }, resolve: (m) => m.subject }),
    score: t.exposeFloat('score', { authScopes: { signedIn: true } }),
    reasons: t.field({ type: [MatchReasonRef], authScopes: { signedIn: true }, resolve: (m) => m.reasons }),
  }),
});

const OfferFilter = builder.inputType('OfferFilter', {
  fields: (t) => ({
    communityIds: t.globalIDList({ for: CommunityRef, validate: uuidIds(50) }),
    kinds: t.field({ type: [OfferKindEnum], validate: z.array(z.string()).max(4) }),
  }),
});

const first = (n: number) => ({ defaultValue: n, validate: z.number().int().min(1).max(100) });

builder.queryFields((t) => ({
  offer: t.prismaField({
    type: 'Offer',
    nullable: true,
    authScopes: { public: true },
    description: 'An offer by id, expired or not.',
    args: { id: t.arg.globalID({ required: true, for: OfferRef, validate: uuidId }) },
    resolve: (query, _root, { id }, ctx) => ctx.services.prisma.offer.findUnique({ ...query, where: { id: id.id } }),
  }),
  offers: t.prismaConnection({
    type: 'Offer',
    cursor: 'id',
    authScopes: { public: true },
    maxSize: 500,
    defaultSize: 100,
    description: 'Standing offers (not expired), newest first.',
    args: { filter: t.arg({ type: OfferFilter }) },
    resolve: (query, _root, { filter }, ctx) => {
      const where: Prisma.OfferWhereInput = {
        ...standingOffers(ctx.services.clock.now()),
        ...(filter?.communityIds?.length ? { communityId: { in: filter.communityIds.map((c) => c.id) } } : {}),
        ...(filter?.kinds?.length ? { kind: { in: filter.kinds } } : {}),
      };
      return ctx.services.prisma.offer.findMany({ ...query, where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    },
  }),
  myOffers: t.prismaField({
    type: ['Offer'],
    authScopes: { signedIn: true },
    description: "The viewer's own offers, newest first (expired ones too, with `live: false`).",
    args: { live: t.arg.boolean({ defaultValue: true, description: 'Only offers that have not expired.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.services.prisma.offer.findMany({
        ...query,
        where: { offeredById: ctx.viewer!.id, ...(args.live ? standingOffers(ctx.services.clock.now()) : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: 200,
      }),
  }),
  offersForNeed: t.field({
    type: [OfferCandidateRef],
    authScopes: { anyCoordinator: true },
    description: "Standing offers of the need's community that could answer it, best first, with reasons: capacity, dates, distance (a ride: both ends), language, step-free access.",
    args: { needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }), first: t.arg.int(first(10)) },
    resolve: (_root, args, ctx) => offersForNeed(ctx.services, ctx.viewer!, args.needId.id, args.first ?? 10),
  }),
  needsForOffer: t.field({
    type: [NeedMatchRef],
    authScopes: { signedIn: true },
    description: "Needs of the offer's community it could answer, best first, with reasons: for the offerer and the community's coordinators.",
    args: { offerId: t.arg.globalID({ required: true, for: OfferRef, validate: uuidId }), first: t.arg.int(first(10)) },
    resolve: (_root, args, ctx) => needsForOffer(ctx.services, ctx.viewer!, args.offerId.id, args.first ?? 10),
  }),
}));

const F = offerFieldRules;

const HostingOfferInput = builder.inputType('HostingOfferInput', {
  fields: (t) => ({
    beds: t.int({ required: true, validate: F.beds }),
    petsAllowed: t.boolean(),
  }),
});

const RideOfferInput = builder.inputType('RideOfferInput', {
  fields: (t) => ({
    destination: t.field({ type: PlaceInput, required: true, description: 'Where the ride goes: private like the origin; a public approximate point is drawn for it.' }),
    seats: t.int({ required: true, validate: F.seats }),
    recurringNote: t.string({ validate: F.note, description: 'A ride that repeats ("every Sunday at 8").' }),
  }),
});

const OfferItemInput = builder.inputType('OfferItemInput', {
  fields: (t) => ({
    item: t.string({ required: true, validate: F.item }),
    quantity: t.float({ required: true, validate: F.itemQuantity }),
    unit: t.string({ validate: F.unit, description: 'kg, boxes, packs…; absent: pieces.' }),
  }),
});

const GoodsOfferInput = builder.inputType('GoodsOfferInput', {
  fields: (t) => ({
    items: t.field({ type: [OfferItemInput], required: true, validate: F.items }),
    households: t.int({ validate: F.households, description: 'How many households the goods serve; absent: 1.' }),
  }),
});

const SkillOfferInput = builder.inputType('SkillOfferInput', {
  fields: (t) => ({
    service: t.string({ required: true, validate: F.service }),
    hours: t.int({ required: true, validate: F.hours }),
  }),
});

const KIND_FIELD = { HOSTING: 'hosting', RIDE: 'ride', GOODS: 'goods', SKILL: 'skill' } as const;

const CreateOfferInput = builder.inputType('CreateOfferInput', {
  description: 'One of hosting, ride, goods and skill: the one of the kind.',
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    kind: t.field({ type: OfferKindEnum, required: true }),
    title: t.string({ required: true, validate: F.title }),
    description: t.string({ validate: F.description }),
    organisation: t.string({ validate: F.organisation, description: "A coordinator offering for an organisation names it." }),
    place: t.field({ type: PlaceInput, required: true, description: 'The home, where a ride leaves from, where goods are picked up, the practice. Private.' }),
    contactPhone: t.string({ validate: phoneRule, description: "Private; absent: the offerer's own phone." }),
    availableFrom: t.field({ type: 'DateTime', description: 'For a ride: when it leaves.' }),
    availableUntil: t.field({ type: 'DateTime' }),
    expiresAt: t.field({ type: 'DateTime', description: 'Absent: availableUntil (one of them is required).' }),
    stepFree: t.boolean({ description: 'The place (or vehicle) is step-free.' }),
    languages: t.stringList({ validate: F.languages, description: 'Languages spoken, as lower-case tags (he, ar, en, ru, am…).' }),
    hosting: t.field({ type: HostingOfferInput }),
    ride: t.field({ type: RideOfferInput }),
    goods: t.field({ type: GoodsOfferInput }),
    skill: t.field({ type: SkillOfferInput }),
  }),
  validate: z
    .looseObject({ kind: z.string(), availableFrom: z.date().nullish(), availableUntil: z.date().nullish() })
    .refine(availabilityRule, { message: 'The availability must end after it starts.', path: ['availableUntil'] })
    .superRefine((input, ctx) => {
      for (const [kind, field] of Object.entries(KIND_FIELD)) {
        const given = input[field] != null;
        if (kind === input.kind && !given) ctx.addIssue({ code: 'custom', message: `A ${kind} offer says its details in \`${field}\`.`, path: [field] });
        if (kind !== input.kind && given) ctx.addIssue({ code: 'custom', message: `Only a ${kind} offer has \`${field}\`.`, path: [field] });
      }
    }),
});

/** CreateOfferInput as the domain takes it: the kind's details flattened, its capacity named. */
function offerInputOf(input: typeof CreateOfferInput.$inferInput): OfferInput {
  const { communityId, hosting, ride, goods, skill, ...common } = input;
  const base = { ...common, communityId: communityId.id };
  switch (input.kind) {
    case 'HOSTING':
      return { ...base, capacity: hosting!.beds, petsAllowed: hosting!.petsAllowed };
    case 'RIDE':
      return { ...base, capacity: ride!.seats, destination: ride!.destination, recurringNote: ride!.recurringNote };
    case 'GOODS':
      return { ...base, capacity: goods!.households ?? 1, items: goods!.items.map((i) => ({ item: i.item, quantity: i.quantity, unit: i.unit ?? 'pieces' })) };
    case 'SKILL':
      return { ...base, capacity: skill!.hours, service: skill!.service };
  }
}

const ProposeOfferMatchInput = builder.inputType('ProposeOfferMatchInput', {
  fields: (t) => ({
    offerId: t.globalID({ required: true, for: OfferRef, validate: uuidId }),
    needId: t.globalID({ required: true, for: NeedRef, validate: uuidId }),
    quantity: t.int({ required: true, validate: F.quantity, description: 'Of the offer: beds, seats, households or hours.' }),
  }),
});

const OfferPayload = builder.objectRef<{ offer: Offer }>('OfferPayload').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({ offer: t.field({ type: OfferRef, authScopes: { signedIn: true }, resolve: (p) => p.offer }) }),
});

const OfferMatchPayload = builder.objectRef<{ match: OfferMatch }>('OfferMatchPayload').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({ match: t.field({ type: OfferMatchRef, authScopes: { signedIn: true }, resolve: (p) => p.match }) }),
});

builder.mutationFields((t) => ({
  createOffer: t.field({
    type: OfferPayload,
    authScopes: { signedIn: true },
    description: 'A member offers help in their community (a coordinator may name an organisation it is offered for).',
    args: { input: t.arg({ type: CreateOfferInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ offer: await createOffer(ctx.services, ctx.viewer!, offerInputOf(input)) }),
  }),
  withdrawOffer: t.field({
    type: OfferPayload,
    authScopes: { signedIn: true },
    description: 'The offerer, or a coordinator of its community, withdraws an offer: it expires now (no longer listed; its proposals can no longer be accepted); accepted matches stand.',
    args: { id: t.arg.globalID({ required: true, for: OfferRef, validate: uuidId }) },
    resolve: async (_root, { id }, ctx) => ({ offer: await withdrawOffer(ctx.services, ctx.viewer!, id.id) }),
  }),
  proposeOfferMatch: t.field({
    type: OfferMatchPayload,
    authScopes: { anyCoordinator: true },
    description: "A coordinator of both communities proposes the offer for the need. Nothing is reserved until both sides accept; more than is left: OFFER_CAPACITY_EXHAUSTED.",
    args: { input: t.arg({ type: ProposeOfferMatchInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ match: await proposeOfferMatch(ctx.services, ctx.viewer!, input.offerId.id, input.needId.id, input.quantity) }),
  }),
  acceptOfferMatch: t.field({
    type: OfferMatchPayload,
    authScopes: { signedIn: true },
    description:
      "The offerer, or the need side (a coordinator of the need's community, or whoever took it in), accepts. The second acceptance reserves the quantity and gives the offerer a slot of the need, at once; when too little is left: OFFER_CAPACITY_EXHAUSTED, nothing changed.",
    args: { id: t.arg.globalID({ required: true, for: OfferMatchRef, validate: uuidId }) },
    resolve: async (_root, { id }, ctx) => ({ match: await acceptOfferMatch(ctx.services, ctx.viewer!, id.id) }),
  }),
  declineOfferMatch: t.field({
    type: OfferMatchPayload,
    authScopes: { signedIn: true },
    description: "Either side, or a coordinator of the offer's community, turns a proposed match down.",
    args: { id: t.arg.globalID({ required: true, for: OfferMatchRef, validate: uuidId }) },
    resolve: async (_root, { id }, ctx) => ({ match: await declineOfferMatch(ctx.services, ctx.viewer!, id.id) }),
  }),
}));
