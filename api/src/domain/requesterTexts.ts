// Texts to requesters: a requester who agreed to be contacted (privacy.ts `textsRequester`) is
// told in their language when a volunteer takes their need and when it is done. The text is
// queued in the transaction of the need event that causes it — one per event (unique on the
// event's seq), so a retried or replayed mutation, which writes no second event, sends nothing
// twice — and sent by the worker after the commit, leased so that processes never send one twice,
// retried as e-mail is.
import type { Services } from '../services.ts';
import type { UnitOfWork } from '../events/unitOfWork.ts';
import type { Need, NeedEvent } from '../generated/prisma/client.ts';
import type { RequesterTextKind } from '../generated/prisma/enums.ts';
import { render, text, type Text } from '../shared/i18n/translate.ts';
import { localeOr } from '../shared/i18n/types.ts';
import { textsRequester, volunteerNameForRequester } from './privacy.ts';
import { failedAttempt, leaseDue } from './notifications.ts';

/**
 * Which text a need event sends its requester, if any: TAKEN when a volunteer takes a need nobody
 * held (the first live claim, by claiming or assignment: a need of many places texts once, not per
 * volunteer), DONE when it becomes done.
 */
export function requesterTextFor(event: Pick<NeedEvent, 'type' | 'fromStatus' | 'toStatus'>, liveClaims: number): RequesterTextKind | null {
  if ((event.type === 'CLAIMED' || event.type === 'ASSIGNED') && liveClaims === 1) return 'TAKEN';
  if (event.toStatus === 'DONE' && event.fromStatus !== 'DONE') return 'DONE';
  return null;
}

/** Queues the requester's text for this event, in its transaction, when one is due and they may be texted. */
export async function queueRequesterText(w: UnitOfWork, need: Need, event: NeedEvent, liveClaims: number): Promise<void> {
  const { tx, s } = w;
  const kind = requesterTextFor(event, liveClaims);
  if (!kind || !s.sms || !textsRequester(need)) return;
  const volunteer =
    kind === 'TAKEN' && event.claimId
      ? await tx.claim.findUnique({ where: { id: event.claimId }, select: { volunteer: { select: { name: true } } } })
      : null;
  await tx.requesterText.create({
    data: {
      needId: need.id,
      eventId: event.id,
      kind,
      volunteerName: volunteerNameForRequester(volunteer?.volunteer.name),
      createdAt: event.at,
      nextAttemptAt: event.at,
    },
  });
}

const message = (kind: RequesterTextKind, title: string, volunteerName: string | null): Text =>
  kind === 'DONE'
    ? text('sms.done', { title })
    : volunteerName
      ? text('sms.taken', { name: volunteerName, title })
      : text('sms.takenUnnamed', { title });

/** Sends the due texts; each is leased first. Consent and phone are read again at sending: withdrawn or erased, nothing goes. */
export async function sendRequesterTexts(s: Services, now = s.clock.now()): Promise<{ sent: number; failed: number }> {
  const sms = s.sms;
  if (!sms) return { sent: 0, failed: 0 };
  const leased = await leaseDue(s, 'RequesterText', now);
  let sent = 0;
  let failed = 0;
  for (const { id } of leased) {
    const row = await s.prisma.requesterText.findUniqueOrThrow({
      where: { id },
      include: {
        need: {
          select: { title: true, requesterPhone: true, requesterLocale: true, contactConsent: true, privateErasedAt: true, community: { select: { smsNumber: true } } },
        },
      },
    });
    const from = row.need.community.smsNumber ?? s.config.SMS_FROM;
    const phone = row.need.requesterPhone;
    if (!textsRequester(row.need) || !phone || !from) {
      const why = !from ? 'no sender number: set SMS_FROM or the community’s SMS number' : 'the requester may no longer be texted';
      await s.prisma.requesterText.update({ where: { id }, data: { status: 'FAILED', lastError: why } });
      failed++;
      continue;
    }
    try {
      await sms.send({ to: phone, from, body: render(localeOr(row.need.requesterLocale), message(row.kind, row.need.title, row.volunteerName)) });
      await s.prisma.requesterText.update({ where: { id }, data: { status: 'SENT', sentAt: s.clock.now(), attempts: { increment: 1 }, lastError: null } });
      sent++;
    } catch (err) {
      // The cause only (the provider's status): the requester's number stays out of the record.
      await s.prisma.requesterText.update({ where: { id }, data: failedAttempt(s, row.attempts, err) });
      failed++;
    }
  }
  return { sent, failed };
}
