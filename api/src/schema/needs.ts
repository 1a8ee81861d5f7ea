// Needs: the type with its public and private faces, the board queries, intake and edits,
// and the live subscriptions.
import { sameForEveryViewer } from '../events/sharedExecution.ts';
import { z } from 'zod';
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { omitUnread, reads } from './columns.ts';
import { badInput } from '../errors.ts';
import { bboxAround, distanceKm } from '../domain/geo.ts';
import { boardWhere, LIVE_STATUSES } from '../domain/boardFilter.ts';
import { byId, needsUrgentFirst } from '../domain/orders.ts';
import { cancelNeed, createNeed, reopenNeed, updateNeed } from '../domain/needs.ts';
import { historyNeedIds, survivorOf } from '../domain/duplicates.ts';
import { needFieldRules, phoneRule, windowRule } from '../domain/needRules.ts';
import { operatorWindowStart, readPrivateDetails, viewerCanSeePrivate, type IntakeColumns } from '../domain/privacy.ts';
import { openSlots } from '../domain/needStatus.ts';
import { LocaleEnum, NeedCategoryEnum, NeedStatusEnum, UrgencyEnum } from './enums.ts';
import { CommunityRef } from './communities.ts';
import { NeedRequirementsInput } from './vetting.ts';
import type { Context } from '../context.ts';
import type { Services } from '../services.ts';
import type { Need } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** Field extensions of a Need field: the need's columns it reads (see columns.ts). */
export const readsNeed = (...columns: Prisma.NeedScalarFieldEnum[]) => reads(...columns);

/** Coordinators of the need's community, the volunteer holding a live claim on it, and the operator who took it in (for a while). */
export async function canSeePrivate(need: Pick<Need, 'id' | 'communityId'> & IntakeColumns, ctx: Context): Promise<boolean> {
  return viewerCanSeePrivate(ctx.viewer, need, ctx.liveClaims, operatorWindowStart(ctx.services));
}

type Place = { lat: number; lng: number; address: string };
type PrivateDetails = {
  needId: string;
  lat: number;
  lng: number;
  address: string;
  requesterName: string;
  requesterPhone: string | null;
  requesterEmail: string | null;
  contactShared: boolean;
  destination: Place | null;
};

/** An exact place and its address: private wherever it appears (a need's destination, an offer's place). */
export const PlaceRef = builder.objectRef<Place>('Place').implement({
  description: 'An exact place and its address: private.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    lat: t.exposeFloat('lat', { authScopes: { signedIn: true } }),
    lng: t.exposeFloat('lng', { authScopes: { signedIn: true } }),
    address: t.exposeString('address', { authScopes: { signedIn: true } }),
  }),
});

const PrivateDetailsRef = builder.objectRef<PrivateDetails>('NeedPrivateDetails').implement({
  description: 'The exact place and the requester. Every read is logged.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    lat: t.exposeFloat('lat', { authScopes: { signedIn: true } }),
    lng: t.exposeFloat('lng', { authScopes: { signedIn: true } }),
    address: t.exposeString('address', { authScopes: { signedIn: true } }),
    requesterName: t.exposeString('requesterName', { authScopes: { signedIn: true } }),
    requesterPhone: t.exposeString('requesterPhone', { nullable: true, authScopes: { signedIn: true } }),
    requesterEmail: t.exposeString('requesterEmail', { nullable: true, authScopes: { signedIn: true } }),
    contactShared: t.exposeBoolean('contactShared', {
      authScopes: { signedIn: true },
      description:
        "False when the requester did not agree to share their phone and e-mail with the volunteer: requesterPhone and requesterEmail are null for the volunteer, contact goes through the coordinator (requestCallback). Coordinators always get them.",
    }),
    destination: t.field({
      type: PlaceRef,
      nullable: true,
      authScopes: { signedIn: true },
      description: "A TRANSPORT need's exact destination (null: none given).",
      resolve: (d) => d.destination,
    }),
  }),
});

export const NeedRef = builder.prismaNode('Need', {
  id: { field: 'id', extensions: { ...readsNeed('id'), ...sameForEveryViewer } },
  // node(id)/nodes(ids) answer null for an id that names nothing, as Relay expects.
  nullable: true,
  authScopes: { public: true },
  // `{ public: true }` cannot fail, so it is not run at all (schema/publicScopes.ts). Never
  // runScopesOnType: that runs the type's scope through isTypeOf, which compiled queries call
  // without the context (graphql/jit.ts).
  fields: (t) => ({
    title: t.exposeString('title', { authScopes: { public: true } }),
    description: t.exposeString('description', { authScopes: { public: true } }),
    category: t.expose('category', { type: NeedCategoryEnum, authScopes: { public: true } }),
    urgency: t.expose('urgency', { type: UrgencyEnum, authScopes: { public: true } }),
    status: t.expose('status', { type: NeedStatusEnum, authScopes: { public: true } }),
    slots: t.exposeInt('slots', { authScopes: { public: true } }),
    openSlots: t.int({ authScopes: { public: true }, extensions: { ...readsNeed('status', 'slots', 'activeClaims'), ...sameForEveryViewer }, resolve: openSlots }),
    neededFrom: t.expose('neededFrom', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    neededBy: t.expose('neededBy', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    publicLat: t.exposeFloat('publicLat', { authScopes: { public: true }, description: 'Approximate: a few hundred metres from the real place.' }),
    publicLng: t.exposeFloat('publicLng', { authScopes: { public: true } }),
    destinationPublicLat: t.exposeFloat('destinationPublicLat', {
      nullable: true,
      authScopes: { public: true },
      description: "A TRANSPORT need's destination, approximate like publicLat (null: none given).",
    }),
    destinationPublicLng: t.exposeFloat('destinationPublicLng', { nullable: true, authScopes: { public: true } }),
    people: t.exposeInt('people', { nullable: true, authScopes: { public: true }, description: 'How many people it is for (a household to host, passengers); null: not said.' }),
    needsStepFree: t.exposeBoolean('needsStepFree', { authScopes: { public: true }, description: 'The need asks for a step-free place or vehicle.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { public: true } }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', authScopes: { public: true } }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    // Not a Prisma relation: read with the other needs' communities in one statement (domain/communityReader.ts).
    community: t.field({
      type: CommunityRef,
      authScopes: { public: true },
      extensions: { ...readsNeed('communityId'), ...sameForEveryViewer },
      resolve: (need, _args, ctx) => ctx.services.communities.read(need.communityId),
    }),
    viewerCanSeePrivate: t.boolean({
      authScopes: { public: true },
      deprecationReason: 'Use viewerCan.seePrivate.',
      extensions: readsNeed('id', 'communityId', 'createdById', 'createdAt'),
      resolve: (n, _a, ctx) => canSeePrivate(n, ctx),
    }),
    privateDetails: t.field({
      type: PrivateDetailsRef,
      nullable: true,
      description: 'Only for coordinators of the community, the volunteer holding a live claim, and the hotline operator who took it in (for OPERATOR_PRIVATE_HOURS); others get FORBIDDEN.',
      authScopes: async (n, _args, ctx) => canSeePrivate(n, ctx),
      extensions: readsNeed(
        'id',
        'communityId',
        'contactConsent',
        'createdById',
        'createdAt',
        'lat',
        'lng',
        'address',
        'requesterName',
        'requesterPhone',
        'requesterEmail',
        'destinationLat',
        'destinationLng',
        'destinationAddress',
      ),
      resolve: async (n, _a, ctx) => ({
        ...(await readPrivateDetails(ctx.services, ctx.viewer!, n)),
        destination: n.destinationLat != null && n.destinationLng != null ? { lat: n.destinationLat, lng: n.destinationLng, address: n.destinationAddress ?? '' } : null,
      }),
    }),
    claims: t.relation('claims', {
      authScopes: (n) => ({ coordinatorOf: n.communityId }),
      extensions: readsNeed('id', 'communityId'),
      query: { orderBy: [{ claimedAt: 'desc' }, { id: 'desc' }] },
    }),
    occurrenceAt: t.expose('occurrenceAt', { type: 'DateTime', nullable: true, authScopes: { public: true }, description: 'For a shift of a recurring need: when it is.' }),
    remote: t.exposeBoolean('remote', {
      authScopes: { public: true },
      description: "Work without a place (a phone call, help online): its public point is only its community's centre; boards list it but do not draw it on the map.",
    }),
    onBoard: t.exposeBoolean('onBoard', { authScopes: { public: true }, description: 'False for later shifts of a series: the board shows the next open one.' }),
    seriesOccurrences: t.prismaField({
      type: ['Need'],
      authScopes: { public: true },
      description: 'All shifts of the series this need belongs to, in order (empty for a one-off need).',
      extensions: readsNeed('seriesId'),
      resolve: (query, n, _args, ctx) => {
        const selection = { ...query }; // read on both paths: an unread query is what plugin-prisma warns of
        return n.seriesId ? ctx.services.prisma.need.findMany({ ...selection, where: { seriesId: n.seriesId }, orderBy: { occurrenceAt: 'asc' } }) : [];
      },
    }),
    mergedInto: t.relation('mergedInto', {
      nullable: true,
      authScopes: { public: true },
      description: 'Set when this need was merged into another: follow it.',
      extensions: readsNeed('mergedIntoId'),
    }),
    events: t.prismaConnection({
      type: 'NeedEvent',
      cursor: 'id',
      authScopes: { public: true },
      description: "The need's history, oldest first, including the history of needs merged into it.",
      extensions: readsNeed('id'),
      resolve: async (query, n, _args, ctx) =>
        ctx.services.prisma.needEvent.findMany({ ...query, where: { needId: { in: await historyNeedIds(ctx.services, n.id) } }, orderBy: { id: 'asc' } }),
    }),
  }),
});

const BBoxInput = builder.inputType('BBoxInput', {
  fields: (t) => ({
    minLat: t.float({ required: true, validate: z.number().min(-90).max(90) }),
    minLng: t.float({ required: true, validate: z.number().min(-180).max(180) }),
    maxLat: t.float({ required: true, validate: z.number().min(-90).max(90) }),
    maxLng: t.float({ required: true, validate: z.number().min(-180).max(180) }),
  }),
  validate: z
    .looseObject({ minLat: z.number(), maxLat: z.number(), minLng: z.number(), maxLng: z.number() })
    .refine((b) => b.minLat <= b.maxLat, { message: 'minLat must not exceed maxLat.', path: ['minLat'] })
    .refine((b) => b.minLng <= b.maxLng, { message: 'minLng must not exceed maxLng.', path: ['minLng'] }),
});

export const PointInput = builder.inputType('PointInput', {
  fields: (t) => ({
    lat: t.float({ required: true, validate: z.number().min(-90, 'Latitude must be between -90 and 90.').max(90, 'Latitude must be between -90 and 90.') }),
    lng: t.float({ required: true, validate: z.number().min(-180, 'Longitude must be between -180 and 180.').max(180, 'Longitude must be between -180 and 180.') }),
  }),
});

export const PlaceInput = builder.inputType('PlaceInput', {
  fields: (t) => ({
    lat: t.float({ required: true, validate: needFieldRules.lat }),
    lng: t.float({ required: true, validate: needFieldRules.lng }),
    address: t.string({ required: true, validate: needFieldRules.address }),
  }),
});

const NeedFilter = builder.inputType('NeedFilter', {
  fields: (t) => ({
    bbox: t.field({ type: BBoxInput }),
    categories: t.field({ type: [NeedCategoryEnum], validate: z.array(z.string()).max(20) }),
    urgencies: t.field({ type: [UrgencyEnum], validate: z.array(z.string()).max(10) }),
    statuses: t.field({ type: [NeedStatusEnum], validate: z.array(z.string()).max(10) }),
    communityIds: t.globalIDList({ for: CommunityRef, validate: uuidIds(50) }),
    text: t.string({ validate: z.string().max(200) }),
    allOccurrences: t.boolean({ description: 'Include every shift of recurring needs, not only the next open one.' }),
  }),
});

const NeedSort = builder.enumType('NeedSort', {
  values: {
    URGENCY: { description: 'Most urgent first, then oldest first.' },
    NEWEST: {},
    OLDEST: {},
  } as const,
});

type NeedFilterShape = typeof NeedFilter.$inferInput;

export function needWhere(filter: NeedFilterShape | null | undefined): Prisma.NeedWhereInput {
  return boardWhere({
    ...filter,
    communityIds: filter?.communityIds?.map((c) => c.id),
    statuses: filter?.statuses?.length ? filter.statuses : LIVE_STATUSES,
    onBoard: !filter?.allOccurrences,
  });
}

const needColumns = Object.values(Prisma.NeedScalarFieldEnum);

/**
 * Pothos' query for a list of needs, less the columns no selected field reads (see columns.ts);
 * `keep` is what the resolver itself needs. A query that already selects (Pothos selects only
 * the cursor when no node is asked for) stays as it is: Prisma takes `select` or `omit`, not both.
 */
const readingOnlySelected = <Q extends object>(query: Q, info: GraphQLResolveInfo, path: readonly string[], keep: readonly Prisma.NeedScalarFieldEnum[]): Q =>
  (query as { select?: unknown }).select ? query : { ...query, omit: omitUnread(info, path, info.schema.getType('Need') as GraphQLObjectType, needColumns, keep) };

const sortOrders: Record<'URGENCY' | 'NEWEST' | 'OLDEST', Prisma.NeedOrderByWithRelationInput[]> = {
  URGENCY: needsUrgentFirst,
  NEWEST: [{ createdAt: 'desc' }, { id: 'desc' }],
  OLDEST: [{ createdAt: 'asc' }, { id: 'asc' }],
};

/** A first page of plain columns without Prisma's passes over each row (db/plainFindMany.ts); any other through Prisma. */
const findNeeds = (s: Services, findMany: Prisma.NeedFindManyArgs): Promise<Need[]> =>
  s.db.findManyPlain<Need>('Need', findMany) ?? s.prisma.need.findMany(findMany);

builder.queryFields((t) => ({
  need: t.prismaField({
    type: 'Need',
    nullable: true,
    authScopes: { public: true },
    args: { id: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }) },
    description: 'A need by id; the id of a need merged into another leads to the survivor.',
    resolve: async (query, _root, { id }, ctx) => ctx.services.prisma.need.findUnique({ ...query, where: { id: await survivorOf(ctx.services, id.id) } }),
  }),
  needs: t.prismaConnection({
    type: 'Need',
    cursor: 'id',
    authScopes: { public: true },
    maxSize: 1_000,
    defaultSize: 100,
    args: {
      filter: t.arg({ type: NeedFilter }),
      sort: t.arg({ type: NeedSort, defaultValue: 'URGENCY' }),
    },
    totalCount: (_root, args, ctx) => ctx.services.prisma.need.count({ where: needWhere(args.filter) }),
    resolve: (query, _root, args, ctx, info) => {
      const findMany = { ...readingOnlySelected(query, info, ['edges', 'node'], ['id']), where: needWhere(args.filter), orderBy: sortOrders[args.sort ?? 'URGENCY'] };
      return findNeeds(ctx.services, findMany);
    },
  }),
  nearbyNeeds: t.prismaField({
    type: ['Need'],
    authScopes: { public: true },
    description: 'Open needs within radiusKm of a point, nearest first (by their public location); remote needs, which have no place, are not near anything.',
    args: {
      point: t.arg({ type: PointInput, required: true }),
      radiusKm: t.arg.float({ required: true, validate: z.number().positive('radiusKm must be positive.').max(200, 'radiusKm must be at most 200.') }),
      filter: t.arg({ type: NeedFilter }),
      first: t.arg.int({ defaultValue: 50, validate: z.number().int().min(1).max(500) }),
    },
    resolve: async (query, _root, args, ctx, info) => {
      const box = bboxAround(args.point, args.radiusKm);
      const where = { ...needWhere({ ...args.filter, bbox: box }), remote: false };
      const findMany = { ...readingOnlySelected(query, info, [], ['id', 'publicLat', 'publicLng']), where, orderBy: { id: 'asc' as const }, take: 5_000 };
      const rows = await findNeeds(ctx.services, findMany);
      return rows
        .map((n) => ({ n, d: distanceKm(args.point, { lat: n.publicLat, lng: n.publicLng }) }))
        .filter((x) => x.d <= args.radiusKm)
        // Needs at one public point (the shifts of a series, one address) are as near: by id.
        .sort((a, b) => a.d - b.d || byId(a.n, b.n))
        .slice(0, args.first ?? 50)
        .map((x) => x.n);
    },
  }),
}));

const NeedFields = needFieldRules;
const phone = phoneRule;

export const CreateNeedInput = builder.inputType('CreateNeedInput', {
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    title: t.string({ required: true, validate: NeedFields.title }),
    description: t.string({ validate: NeedFields.description }),
    category: t.field({ type: NeedCategoryEnum, required: true }),
    urgency: t.field({ type: UrgencyEnum, required: true }),
    slots: t.int({ validate: NeedFields.slots }),
    neededFrom: t.field({ type: 'DateTime' }),
    neededBy: t.field({ type: 'DateTime' }),
    lat: t.float({ validate: NeedFields.lat, description: 'Required unless `remote`.' }),
    lng: t.float({ validate: NeedFields.lng, description: 'Required unless `remote`.' }),
    address: t.string({ validate: NeedFields.address, description: 'Required unless `remote`.' }),
    remote: t.boolean({
      description: "Work without a place (a phone call to an elderly person, homework help online): no lat, lng or address; listed, never drawn on the map or near anything. Its point is its community's centre.",
    }),
    requesterName: t.string({ required: true, validate: NeedFields.requesterName }),
    requesterPhone: t.string({ validate: phone }),
    requesterEmail: t.string({ validate: z.email('Enter a valid e-mail address.').max(254) }),
    contactConsent: t.boolean({
      description:
        'The requester agrees that the volunteer who takes the task gets their phone and e-mail. Omitted: false on create (no consent; contact goes through the coordinator), unchanged on update.',
    }),
    requesterLocale: t.field({
      type: LocaleEnum,
      description: "The requester's language: the texts they are sent are written in it. Omitted: on create, the language the text was written in for an SMS draft, else the creator's own; unchanged on update.",
    }),
    requirements: t.field({ type: NeedRequirementsInput, description: "Who may take it; absent: the community's defaults for the category." }),
    people: t.int({ validate: NeedFields.people, description: 'How many people it is for (a household to host, passengers).' }),
    needsStepFree: t.boolean({ description: 'The need asks for a step-free place or vehicle.' }),
    destination: t.field({ type: PlaceInput, description: 'TRANSPORT only: where to. Private like the need\'s own place; a public approximate point is drawn for it.' }),
    householdId: t.globalID({
      validate: uuidId,
      description: "The household it is for (a Household of the same community). Absent: the household recorded for the requester's phone in the community, if any.",
    }),
  }),
  validate: z
    .looseObject({
      neededFrom: z.date().nullish(),
      neededBy: z.date().nullish(),
      remote: z.boolean().nullish(),
      lat: z.number().nullish(),
      lng: z.number().nullish(),
      address: z.string().nullish(),
      category: z.string(),
      destination: z.unknown().nullish(),
    })
    .refine(windowRule, { message: 'The window must end after it starts.', path: ['neededBy'] })
    .refine((input) => !input.destination || input.category === 'TRANSPORT', { message: 'Only a TRANSPORT need has a destination.', path: ['destination'] })
    .superRefine((input, ctx) => {
      if (input.remote) {
        for (const field of ['lat', 'lng', 'address'] as const) {
          if (input[field] != null) ctx.addIssue({ code: 'custom', message: 'A remote need has no place: leave it out.', path: [field] });
        }
        return;
      }
      if (input.lat == null) ctx.addIssue({ code: 'custom', message: 'Choose where the need is, or mark it remote.', path: ['lat'] });
      if (input.lng == null) ctx.addIssue({ code: 'custom', message: 'Choose where the need is, or mark it remote.', path: ['lng'] });
      if (!input.address?.trim()) ctx.addIssue({ code: 'custom', message: 'Enter the address, or mark the need remote.', path: ['address'] });
    }),
});

/**
 * CreateNeedInput as the domain takes it: a need at a place, or a remote one (the input's rule
 * has made sure a placed need has its lat, lng and address).
 */
export function needInputOf<
  T extends { communityId: { id: string }; remote?: boolean | null; lat?: number | null; lng?: number | null; address?: string | null; householdId?: { id: string; typename: string } | null },
>(input: T) {
  // The household is checked after who is asking (domain/households.ts: of the need's community, else BAD_USER_INPUT).
  const { lat, lng, address, remote, communityId, householdId: household, ...rest } = input;
  const householdId = household?.id ?? null;
  return remote ? { ...rest, householdId, communityId: communityId.id, remote: true as const } : { ...rest, householdId, communityId: communityId.id, lat: lat!, lng: lng!, address: address! };
}

const UpdateNeedInput = builder.inputType('UpdateNeedInput', {
  fields: (t) => ({
    title: t.string({ validate: NeedFields.title }),
    description: t.string({ validate: NeedFields.description }),
    category: t.field({ type: NeedCategoryEnum }),
    urgency: t.field({ type: UrgencyEnum }),
    slots: t.int({ validate: NeedFields.slots }),
    neededFrom: t.field({ type: 'DateTime' }),
    neededBy: t.field({ type: 'DateTime' }),
    lat: t.float({ validate: NeedFields.lat }),
    lng: t.float({ validate: NeedFields.lng }),
    address: t.string({ validate: NeedFields.address }),
    requesterName: t.string({ validate: NeedFields.requesterName }),
    requesterPhone: t.string({ validate: phone }),
    requesterEmail: t.string({ validate: z.email('Enter a valid e-mail address.').max(254) }),
    contactConsent: t.boolean({
      description:
        'The requester agrees that the volunteer who takes the task gets their phone and e-mail. Omitted: false on create (no consent; contact goes through the coordinator), unchanged on update.',
    }),
    requesterLocale: t.field({
      type: LocaleEnum,
      description: "The requester's language: the texts they are sent are written in it. Omitted: on create, the language the text was written in for an SMS draft, else the creator's own; unchanged on update.",
    }),
    requirements: t.field({ type: NeedRequirementsInput, description: "Who may take it; absent: the community's defaults for the category." }),
    people: t.int({ validate: NeedFields.people, description: 'How many people it is for (a household to host, passengers).' }),
    needsStepFree: t.boolean({ description: 'The need asks for a step-free place or vehicle.' }),
    destination: t.field({ type: PlaceInput, description: 'TRANSPORT only: where to; null clears it. Its public point stays while the place moves only a little.' }),
  }),
  validate: z
    .looseObject({ neededFrom: z.date().nullish(), neededBy: z.date().nullish() })
    .refine(windowRule, { message: 'The window must end after it starts.', path: ['neededBy'] }),
});

export const NeedPayload = builder.objectRef<{ need: Need }>('NeedPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({
    need: t.field({ type: NeedRef, authScopes: { public: true }, resolve: (p) => p.need }),
  }),
});

builder.mutationFields((t) => ({
  createNeed: t.field({
    type: NeedPayload,
    authScopes: { anyIntake: true },
    description: 'Intake: a coordinator or hotline operator records a need on behalf of a requester.',
    args: { input: t.arg({ type: CreateNeedInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      need: await createNeed(ctx.services, ctx.viewer!, needInputOf(input)),
    }),
  }),
  updateNeed: t.field({
    type: NeedPayload,
    authScopes: { anyCoordinator: true },
    args: { id: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }), input: t.arg({ type: UpdateNeedInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      if (Object.keys(patch).length === 0) throw badInput('Nothing to change.');
      return { need: await updateNeed(ctx.services, ctx.viewer!, id.id, patch) };
    },
  }),
  cancelNeed: t.field({
    type: NeedPayload,
    authScopes: { anyCoordinator: true },
    args: {
      id: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      reason: t.arg.string({ validate: z.string().trim().max(500) }),
    },
    resolve: async (_root, { id, reason }, ctx) => ({ need: await cancelNeed(ctx.services, ctx.viewer!, id.id, reason ?? null) }),
  }),
  reopenNeed: t.field({
    type: NeedPayload,
    authScopes: { anyCoordinator: true },
    args: { id: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }) },
    resolve: async (_root, { id }, ctx) => ({ need: await reopenNeed(ctx.services, ctx.viewer!, id.id) }),
  }),
}));

export { BBoxInput, NeedFilter };
