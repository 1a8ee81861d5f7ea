// Notifications: in-app (live), and e-mail through SMTP with retries and quiet hours.
// Created inside the transaction of the change that causes them; announced after commit.
import nodemailer, { type Transporter } from 'nodemailer';
import { prisma } from '../db/client.ts';
import type { Tx } from '../events/outbox.ts';
import type { NotificationKind } from '../generated/prisma/enums.ts';
import type { Need } from '../generated/prisma/client.ts';
import { clock } from './clock.ts';
import { toWallClock } from './timezone.ts';

export const notificationRules = {
  /** Warn a volunteer this long before an unstarted claim expires. */
  expiryWarningMinutes: 30,
  maxEmailAttempts: 8,
  emailRetryBaseMs: 30_000,
  /** Recipients of one broadcast (a new critical need), at most. */
  maxRecipients: 500,
};

type Listener = (userIds: string[]) => void;
const listeners = new Set<Listener>();

/** Called by the server: where to announce that users have new notifications. */
export function onNotified(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Collects what to announce once the transaction has committed. */
export class AfterCommit {
  #userIds = new Set<string>();
  add(ids: string[]) {
    for (const id of ids) this.#userIds.add(id);
  }
  run() {
    if (this.#userIds.size === 0) return;
    const ids = [...this.#userIds];
    for (const l of listeners) l(ids);
  }
}

/** The first moment outside the user's quiet hours, from `at`. */
export function afterQuietHours(at: Date, from: number | null, to: number | null): Date {
  if (from == null || to == null || from === to) return at;
  const wall = toWallClock(at);
  const hour = wall.getUTCHours();
  const quiet = from < to ? hour >= from && hour < to : hour >= from || hour < to;
  if (!quiet) return at;
  // The top of the hour at which the quiet ends.
  const hoursLeft = (to - hour + 24) % 24 || 24;
  const wallMsIntoHour = (wall.getUTCMinutes() * 60 + wall.getUTCSeconds()) * 1000 + wall.getUTCMilliseconds();
  return new Date(at.getTime() - wallMsIntoHour + hoursLeft * 3_600_000);
}

export async function notify(
  tx: Tx,
  after: AfterCommit,
  userIds: string[],
  kind: NotificationKind,
  need: Pick<Need, 'id'> | null,
  title: string,
  body: string,
  emailEnabled = !!smtp,
): Promise<number> {
  if (userIds.length === 0) return 0;
  // Muted kinds are filtered here, not in SQL: the PGlite adapter sends an enum `has`
  // parameter as a bare value, which PostgreSQL rejects as a malformed array.
  const users = (
    await tx.user.findMany({
      where: { id: { in: userIds.slice(0, notificationRules.maxRecipients) }, notifyInApp: true },
      select: { id: true, email: true, notifyEmail: true, quietFromHour: true, quietToHour: true, mutedKinds: true },
    })
  ).filter((u) => !u.mutedKinds.includes(kind));
  const now = clock.now();
  for (const u of users) {
    const n = await tx.notification.create({ data: { userId: u.id, kind, needId: need?.id ?? null, title, body, createdAt: now } });
    if (emailEnabled && u.notifyEmail && u.email) {
      await tx.notificationDelivery.create({ data: { notificationId: n.id, nextAttemptAt: afterQuietHours(now, u.quietFromHour, u.quietToHour) } });
    }
  }
  after.add(users.map((u) => u.id));
  return users.length;
}

let smtp: { transport: Transporter; from: string } | null = null;

export function configureEmail(smtpUrl: string | undefined, from: string): void {
  smtp = smtpUrl ? { transport: nodemailer.createTransport(smtpUrl), from } : null;
}

/** Sends due e-mails; each delivery is leased first so that several processes never send one twice. */
export async function deliverEmails(now = clock.now()): Promise<{ sent: number; failed: number }> {
  if (!smtp) return { sent: 0, failed: 0 };
  const lease = new Date(now.getTime() + 5 * 60_000);
  const leased = await prisma().$queryRaw<{ id: string }[]>`
    UPDATE "NotificationDelivery" SET "nextAttemptAt" = ${lease}
    WHERE id IN (
      SELECT id FROM "NotificationDelivery" WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT 50 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  let sent = 0;
  let failed = 0;
  for (const { id } of leased) {
    const d = await prisma().notificationDelivery.findUniqueOrThrow({ where: { id }, include: { notification: { include: { user: { select: { email: true } } } } } });
    try {
      await smtp.transport.sendMail({
        from: smtp.from,
        to: d.notification.user.email,
        subject: d.notification.title,
        text: d.notification.body,
      });
      await prisma().notificationDelivery.update({ where: { id }, data: { status: 'SENT', sentAt: clock.now(), attempts: { increment: 1 }, lastError: null } });
      sent++;
    } catch (err) {
      const attempts = d.attempts + 1;
      const giveUp = attempts >= notificationRules.maxEmailAttempts;
      await prisma().notificationDelivery.update({
        where: { id },
        data: {
          attempts,
          status: giveUp ? 'FAILED' : 'PENDING',
          lastError: (err as Error).message.slice(0, 500),
          nextAttemptAt: new Date(clock.now().getTime() + notificationRules.emailRetryBaseMs * 2 ** (attempts - 1)),
        },
      });
      failed++;
    }
  }
  return { sent, failed };
}

/** Warns volunteers whose unstarted claims are about to expire (once per claim). */
export async function warnExpiringClaims(now = clock.now()): Promise<number> {
  const soon = new Date(now.getTime() + notificationRules.expiryWarningMinutes * 60_000);
  const due = await prisma().claim.findMany({
    where: { status: 'ACTIVE', expiryWarnedAt: null, expiresAt: { lte: soon, gt: now } },
    include: { need: { select: { id: true, title: true } } },
    take: 500,
  });
  const after = new AfterCommit();
  for (const c of due) {
    await prisma().$transaction(async (tx) => {
      const marked = await tx.claim.updateMany({ where: { id: c.id, expiryWarnedAt: null, status: 'ACTIVE' }, data: { expiryWarnedAt: now } });
      if (marked.count === 0) return;
      const minutes = Math.max(1, Math.round((c.expiresAt!.getTime() - now.getTime()) / 60_000));
      await notify(tx, after, [c.volunteerId], 'CLAIM_EXPIRING', c.need, `Your claim expires in ${minutes} minutes`, `"${c.need.title}": start it or extend it, or the place goes back to the board.`);
    });
  }
  after.run();
  return due.length;
}
