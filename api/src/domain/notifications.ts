// Notifications: in-app (live), and e-mail through SMTP with retries and quiet hours.
// Created inside the transaction of the change that causes them; announced after commit.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import type { NotificationKind } from '../generated/prisma/enums.ts';
import { Prisma, type Need } from '../generated/prisma/client.ts';
import { fromWallClock, toWallClock } from './timezone.ts';
import { render, text, type Text } from '../shared/i18n/translate.ts';
import { localeOr } from '../shared/i18n/types.ts';

/** A notification before it is in anyone's language: each recipient reads it in theirs. */
export type NotificationText = { title: Text; body: Text | null };

/** The first moment outside the user's quiet hours, from `at`. */
export function afterQuietHours(at: Date, from: number | null, to: number | null): Date {
  if (from == null || to == null || from === to) return at;
  const wall = toWallClock(at);
  const hour = wall.getUTCHours();
  const quiet = from < to ? hour >= from && hour < to : hour >= from || hour < to;
  if (!quiet) return at;
  // The quiet ends at the top of hour `to` on the wall clock (today, or tomorrow if that has
  // passed), found on the wall clock so that a night the clocks change is still right.
  const end = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), to));
  if (end <= wall) end.setUTCDate(end.getUTCDate() + 1);
  return fromWallClock(end);
}

export async function notify(
  w: UnitOfWork,
  userIds: string[],
  kind: NotificationKind,
  need: Pick<Need, 'id'> | null,
  message: NotificationText,
  emailEnabled = !!w.s.mail,
): Promise<number> {
  if (userIds.length === 0) return 0;
  const { tx, s } = w;
  // Muted kinds are filtered here, not in SQL: the PGlite adapter sends an enum `has`
  // parameter as a bare value, which PostgreSQL rejects as a malformed array.
  const users = (
    await tx.user.findMany({
      where: { id: { in: userIds.slice(0, s.rules.notifications.maxRecipients) }, notifyInApp: true },
      select: { id: true, locale: true, email: true, notifyEmail: true, quietFromHour: true, quietToHour: true, mutedKinds: true },
    })
  ).filter((u) => !u.mutedKinds.includes(kind));
  const now = s.clock.now();
  for (const u of users) {
    // Written in the recipient's language, times on Israel's clock: the e-mail sends it as stored.
    const locale = localeOr(u.locale);
    const title = render(locale, message.title);
    const body = message.body ? render(locale, message.body) : '';
    const n = await tx.notification.create({ data: { userId: u.id, kind, needId: need?.id ?? null, title, body, createdAt: now } });
    if (emailEnabled && u.notifyEmail && u.email) {
      await tx.notificationDelivery.create({ data: { notificationId: n.id, nextAttemptAt: afterQuietHours(now, u.quietFromHour, u.quietToHour) } });
    }
  }
  w.notified(users.map((u) => u.id));
  return users.length;
}

/**
 * A delivery's failed attempt (an e-mail, a text): counted, the cause kept, tried again after a
 * doubling wait, given up after the rules' number of attempts.
 */
export function failedAttempt(s: Pick<Services, 'rules' | 'clock'>, attemptsBefore: number, err: unknown) {
  const attempts = attemptsBefore + 1;
  return {
    attempts,
    status: attempts >= s.rules.notifications.maxEmailAttempts ? ('FAILED' as const) : ('PENDING' as const),
    lastError: (err as Error).message.slice(0, 500),
    nextAttemptAt: new Date(s.clock.now().getTime() + s.rules.notifications.emailRetryBaseMs * 2 ** (attempts - 1)),
  };
}

/**
 * Leases up to 50 due PENDING deliveries of a queue (its `nextAttemptAt` moved 5 minutes on), so
 * that several processes sending at once never take the same one; the leased ids.
 */
export function leaseDue(s: Pick<Services, 'prisma'>, queue: 'NotificationDelivery' | 'RequesterText', now: Date): Promise<{ id: string }[]> {
  const lease = new Date(now.getTime() + 5 * 60_000);
  const table = Prisma.raw(`"${queue}"`);
  return s.prisma.$queryRaw<{ id: string }[]>`
    UPDATE ${table} SET "nextAttemptAt" = ${lease}
    WHERE id IN (
      SELECT id FROM ${table} WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT 50 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
}

/** Sends due e-mails; each delivery is leased first so that several processes never send one twice. */
export async function deliverEmails(s: Services, now = s.clock.now()): Promise<{ sent: number; failed: number }> {
  const mail = s.mail;
  if (!mail) return { sent: 0, failed: 0 };
  const leased = await leaseDue(s, 'NotificationDelivery', now);
  let sent = 0;
  let failed = 0;
  for (const { id } of leased) {
    const d = await s.prisma.notificationDelivery.findUniqueOrThrow({ where: { id }, include: { notification: { include: { user: { select: { email: true } } } } } });
    try {
      await mail.send({
        to: d.notification.user.email,
        subject: d.notification.title,
        text: d.notification.body,
      });
      await s.prisma.notificationDelivery.update({ where: { id }, data: { status: 'SENT', sentAt: s.clock.now(), attempts: { increment: 1 }, lastError: null } });
      sent++;
    } catch (err) {
      await s.prisma.notificationDelivery.update({ where: { id }, data: failedAttempt(s, d.attempts, err) });
      failed++;
    }
  }
  return { sent, failed };
}

/** Warns volunteers whose unstarted claims are about to expire (once per claim). */
export async function warnExpiringClaims(s: Services, now = s.clock.now()): Promise<number> {
  const soon = new Date(now.getTime() + s.rules.notifications.expiryWarningMinutes * 60_000);
  const due = await s.prisma.claim.findMany({
    where: { status: 'ACTIVE', expiryWarnedAt: null, expiresAt: { lte: soon, gt: now } },
    include: { need: { select: { id: true, title: true } } },
    take: 500,
  });
  for (const c of due) {
    await commit(s, async (tx, w) => {
      const marked = await tx.claim.updateMany({ where: { id: c.id, expiryWarnedAt: null, status: 'ACTIVE' }, data: { expiryWarnedAt: now } });
      if (marked.count === 0) return;
      const minutes = Math.max(1, Math.round((c.expiresAt!.getTime() - now.getTime()) / 60_000));
      await notify(w, [c.volunteerId], 'CLAIM_EXPIRING', c.need, {
        title: text('notify.claimExpiring.title', { count: minutes }),
        body: text('notify.claimExpiring.body', { title: c.need.title, time: c.expiresAt! }),
      });
    });
  }
  return due.length;
}
