// The event stream: each need's history, and the live subscriptions that replay from a
// cursor and then follow the outbox (events/stream.ts).
import { sameForEveryViewer } from '../events/sharedExecution.ts';
import { latestSeq, seqOf } from '../events/outbox.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { mapEvents, type EventFilter, type StreamEvent } from '../events/stream.ts';
import { NeedCategoryEnum, NeedEventTypeEnum, NeedStatusEnum } from './enums.ts';
import { BBoxInput, NeedRef } from './needs.ts';
import { CommunityRef } from './communities.ts';
import type { NeedEvent } from '../generated/prisma/client.ts';
import { viewerCanSeeEventReason } from '../domain/privacy.ts';

const eventReason = (e: NeedEvent): string | null => {
  const p = e.payload as Record<string, unknown> | null;
  return typeof p?.reason === 'string' ? p.reason : null;
};

export const NeedEventRef = builder.prismaObject('NeedEvent', {
  authScopes: { public: true },
  fields: (t) => ({
    cursor: t.string({
      authScopes: { public: true },
      extensions: sameForEveryViewer,
      description: 'Pass as `after` to resume the stream after this event.',
      // Null only between another process's commit and its stamp (events/outbox.ts): stamp it now.
      resolve: async (e, _args, ctx) => (e.seq ?? (await seqOf(ctx.services, e.id))).toString(),
    }),
    type: t.expose('type', { type: NeedEventTypeEnum, authScopes: { public: true } }),
    fromStatus: t.expose('fromStatus', { type: NeedStatusEnum, nullable: true, authScopes: { public: true } }),
    toStatus: t.expose('toStatus', { type: NeedStatusEnum, authScopes: { public: true } }),
    at: t.expose('at', { type: 'DateTime', authScopes: { public: true } }),
    needId: t.string({
      authScopes: { public: true },
      extensions: sameForEveryViewer,
      description: 'Global id of the need.',
      resolve: (e) => encodeGlobalID('Need', e.needId),
    }),
    reason: t.string({
      nullable: true,
      // People's words about a request or a volunteer: see canSeeEventReason.
      authScopes: (e, _args, ctx) => viewerCanSeeEventReason(ctx.services, ctx.viewer, e, eventReason(e) !== null),
      resolve: (e) => eventReason(e),
    }),
    /** The need as it is now; delivered events carry it preloaded, so no query per subscriber. */
    need: t.field({
      type: NeedRef,
      authScopes: { public: true },
      extensions: sameForEveryViewer,
      resolve: (e, _args, ctx) => ('need' in e && e.need ? (e as StreamEvent).need : ctx.services.prisma.need.findUniqueOrThrow({ where: { id: e.needId } })),
    }),
  }),
});

const NeedEventFilter = builder.inputType('NeedEventFilter', {
  fields: (t) => ({
    needIds: t.globalIDList({ for: NeedRef, validate: uuidIds(100) }),
    communityIds: t.globalIDList({ for: CommunityRef, validate: uuidIds(50) }),
    categories: t.field({ type: [NeedCategoryEnum] }),
    statuses: t.field({ type: [NeedStatusEnum], description: 'Status after the event.' }),
    bbox: t.field({ type: BBoxInput, description: "Events of needs whose public location is in the box." }),
  }),
});

const INT8_MAX = 9_223_372_036_854_775_807n;
const cursorArg = z
  .string()
  .regex(/^\d{1,19}$/, 'A cursor is the `cursor` of an event you received.')
  // zod runs every check, so the range check meets strings the pattern refused too.
  .refine((c) => !/^\d{1,19}$/.test(c) || BigInt(c) <= INT8_MAX, 'A cursor is the `cursor` of an event you received; this one is out of range.');

builder.subscriptionFields((t) => ({
  needEvents: t.field({
    type: NeedEventRef,
    authScopes: { public: true },
    description:
      'Every change to needs matching the filter. With `after`, first the stored events after that cursor, then live ones: nothing missed, nothing twice.',
    // The event as it is: which events reach whom is the source stream's business, per subscriber.
    extensions: sameForEveryViewer,
    args: {
      filter: t.arg({ type: NeedEventFilter }),
      after: t.arg.string({ validate: cursorArg }),
    },
    subscribe: async (_root, args, ctx) => {
      const f = args.filter;
      const filter: EventFilter = {
        needIds: f?.needIds?.map((n) => n.id),
        communityIds: f?.communityIds?.map((c) => c.id),
        categories: f?.categories,
        statuses: f?.statuses,
        bbox: f?.bbox,
      };
      const after = args.after ? BigInt(args.after) : null;
      if (after !== null) await ctx.services.stream.assertCursorReplayable(after);
      return ctx.services.stream.subscribe(filter, after);
    },
    resolve: (e: NeedEvent) => e,
  }),
  needChanged: t.field({
    type: NeedRef,
    authScopes: { public: true },
    description: 'The need, each time it changes.',
    args: { id: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }) },
    subscribe: async (_root, { id }, ctx) => {
      const exists = await ctx.services.prisma.need.findUnique({ where: { id: id.id }, select: { id: true } });
      if (!exists) throw new AppError(ErrorCode.NOT_FOUND, 'Need was not found.');
      return mapEvents(ctx.services.stream.subscribe({ needIds: [id.id] }, null), (e) => e.need);
    },
    resolve: (need) => need,
  }),
}));

builder.queryField('latestEventCursor', (t) =>
  t.string({
    nullable: true,
    authScopes: { public: true },
    description: 'The cursor of the newest stored event: load a view, then subscribe with `after` set to this.',
    resolve: async (_parent, _args, ctx) => (await latestSeq(ctx.services.prisma))?.toString() ?? null,
  }),
);
