// SMS intake: an inbound text (in the common provider webhook format: From, To, Body,
// MessageSid) becomes a draft need for a coordinator to confirm; replies go out through an
// outbound provider. A repeated text — the provider retrying, or the sender re-sending —
// lands on the same draft.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { IntakeDraft } from '../generated/prisma/client.ts';
import { takesIntakeFor, type Viewer } from '../auth/viewer.ts';
import { phoneKey } from './duplicates.ts';
import { insertNeed, type NeedInput, type RemoteNeedInput } from './needRecords.ts';
import { canSeeDraft, communitiesInView, scopeCommunities } from './privacy.ts';
import type { Selection } from './selection.ts';
import { reply } from './sms.ts';
import { render, text } from '../shared/i18n/translate.ts';
import { languageOfText } from '../shared/i18n/detect.ts';
import { localeOr } from '../shared/i18n/types.ts';

/** A text in: by SMS (the default), or a WhatsApp message (http/whatsapp.ts), which lands on the same drafts. */
export type InboundSms = { messageId: string; from: string; to: string; body: string; source?: 'SMS' | 'WHATSAPP' };

/** The provider's signature: base64 HMAC-SHA1 over the URL and the sorted parameters. */
export function smsSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

export function verifySmsSignature(authToken: string, url: string, params: Record<string, string>, signature: string): boolean {
  const expected = Buffer.from(smsSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const normalizedBody = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const REPEAT_WINDOW_MS = 24 * 3_600_000;

export async function receiveSms(s: Services, sms: InboundSms): Promise<{ draft: IntakeDraft; repeated: boolean }> {
  const body = sms.body.trim().slice(0, 1_600);
  const fromKey = phoneKey(sms.from) ?? sms.from;
  const communities = await s.prisma.community.findMany({ where: { smsNumber: { not: null } }, select: { id: true, smsNumber: true } });
  const community = communities.find((c) => phoneKey(c.smsNumber) === phoneKey(sms.to));
  const result = await commit(s, async (tx, w) => {
    // One sender at a time, so that two copies arriving together make one draft.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sms:${fromKey}`}))`;
    // The provider retrying any copy it sent before: nothing changes.
    const same = await tx.intakeMessage.findUnique({ where: { messageId: sms.messageId }, select: { draft: true } });
    if (same) return { draft: same.draft, repeated: true };
    const since = new Date(s.clock.now().getTime() - REPEAT_WINDOW_MS);
    const recent = await tx.intakeDraft.findMany({ where: { status: 'PENDING', receivedAt: { gte: since }, fromNumber: sms.from } });
    const repeat = recent.find((d) => normalizedBody(d.body) === normalizedBody(body));
    if (repeat) {
      // The sender sending again: the draft shows one more repeat.
      const updated = await tx.intakeDraft.update({
        where: { id: repeat.id },
        data: { repeats: { increment: 1 }, messages: { create: { messageId: sms.messageId } } },
      });
      w.draftsChanged(updated.communityId);
      return { draft: updated, repeated: true };
    }
    const draft = await tx.intakeDraft.create({
      data: {
        providerMessageId: sms.messageId,
        source: sms.source ?? 'SMS',
        fromNumber: sms.from,
        toNumber: sms.to,
        body,
        communityId: community?.id ?? null,
        receivedAt: s.clock.now(),
        messages: { create: { messageId: sms.messageId } },
      },
    });
    w.draftsChanged(draft.communityId);
    return { draft, repeated: false };
  });
  // In the language the text was written in (the sender's own), the default without letters. A
  // WhatsApp message is not answered by SMS: the confirmation goes out when a coordinator confirms.
  if (!result.repeated && (sms.source ?? 'SMS') === 'SMS') await reply(s, sms.from, sms.to, render(localeOr(languageOfText(body)), text('sms.received')));
  return result;
}

/** Whether a viewer's list of drafts holds the unrouted ones (`canSeeDraft` of a draft without a community). */
const seesUnrouted = (viewer: Viewer) => canSeeDraft(viewer, { communityId: null });

/** What a viewer's list of drafts holds: the pending drafts of these communities and, for those who may see them, the unrouted ones; oldest first. */
const pendingDraftsOf = (communityIds: string[], unrouted: boolean) => ({
  where: { status: 'PENDING' as const, OR: [{ communityId: { in: communityIds } }, ...(unrouted ? [{ communityId: null }] : [])] },
  orderBy: [{ receivedAt: 'asc' as const }, { id: 'asc' as const }],
  take: 200,
});

/** The pending drafts of the communities asked for (as `scopeCommunities` allows them) and the unrouted ones the viewer may see. */
export async function pendingDrafts(s: Services, viewer: Viewer, requested: string[] | undefined, query: Selection = {}) {
  const ids = await scopeCommunities(s, viewer, requested, 'intake');
  return s.prisma.intakeDraft.findMany({ ...query, ...pendingDraftsOf(ids, seesUnrouted(viewer)) });
}

/**
 * A viewer's live list of pending drafts: which drafts' changes it watches (by community, null
 * for unrouted ones; an admin watching everything also watches communities created later) and
 * how to read it. The subscription (schema/intake.ts) re-reads it when the bus says a watched
 * draft changed.
 */
export async function pendingDraftsView(s: Services, viewer: Viewer, requested: string[] | undefined) {
  const ids = await scopeCommunities(s, viewer, requested, 'intake');
  const everything = communitiesInView(viewer, requested, 'intake') === null;
  const unrouted = seesUnrouted(viewer);
  const watched = new Set(ids);
  return {
    watches: (communityId: string | null) => (communityId === null ? unrouted : everything || watched.has(communityId)),
    read: async () => s.prisma.intakeDraft.findMany(pendingDraftsOf(everything ? await scopeCommunities(s, viewer, undefined, 'intake') : ids, unrouted)),
  };
}

/** Who confirms or rejects a draft: whoever may see it. */
export const canDecideDraft = canSeeDraft;

export async function confirmDraft(s: Services, viewer: Viewer, draftId: string, input: NeedInput | RemoteNeedInput) {
  const { need, draft } = await commit(s, async (tx, w) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "IntakeDraft" WHERE id = ${draftId}::uuid FOR UPDATE`;
    if (rows.length === 0) throw notFound('Draft');
    const draft = await tx.intakeDraft.findUniqueOrThrow({ where: { id: draftId } });
    if (!canDecideDraft(viewer, draft)) throw forbidden('confirm drafts of this community');
    if (!takesIntakeFor(viewer, input.communityId)) throw forbidden('create needs in this community');
    if (draft.status !== 'PENDING') {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `This draft was already ${draft.status.toLowerCase()}.`, { currentStatus: draft.status });
    }
    const need = await insertNeed(w, viewer, {
      ...input,
      requesterPhone: input.requesterPhone ?? draft.fromNumber,
      // The texter's language is the one they wrote in, unless the coordinator says otherwise.
      requesterLocale: input.requesterLocale ?? languageOfText(draft.body),
    });
    const updated = await tx.intakeDraft.update({ where: { id: draftId }, data: { status: 'CONFIRMED', needId: need.id, decidedAt: s.clock.now() } });
    w.draftsChanged(updated.communityId);
    return { need, draft: updated };
  });
  await reply(s, draft.fromNumber, draft.toNumber, render(localeOr(need.requesterLocale), text('sms.registered')));
  return need;
}

export async function rejectDraft(s: Services, viewer: Viewer, draftId: string, reason: string | null = null) {
  const draft = await s.prisma.intakeDraft.findUnique({ where: { id: draftId } });
  if (!draft) throw notFound('Draft');
  if (!canDecideDraft(viewer, draft)) throw forbidden('reject this draft');
  return commit(s, async (tx, w) => {
    const updated = await tx.intakeDraft.updateMany({ where: { id: draftId, status: 'PENDING' }, data: { status: 'REJECTED', decidedAt: s.clock.now(), rejectReason: reason } });
    if (updated.count === 0) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `This draft was already ${draft.status.toLowerCase()}.`, { currentStatus: draft.status });
    w.draftsChanged(draft.communityId);
    return tx.intakeDraft.findUniqueOrThrow({ where: { id: draftId } });
  });
}
