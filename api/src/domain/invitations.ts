// Invitations to join a community, made by a coordinator's volunteer import.
//
// An import never enrols anyone and never says whether an e-mail address has an account: each
// valid row becomes an invitation to that address (the same row, the same answer, whoever owns
// it) and an invitation e-mail. Whoever is signed in with that address sees the invitation
// (`me.invitations`) and accepts or declines it themself; accepting makes an ACTIVE membership
// (a coordinator's invitation is their approval), declining leaves everything as it was.
//
// The import used to create an account for an unknown address (no password, so nobody could
// sign in to it) and enrol it. Nothing of that is kept: such an account served no one (the
// person could not sign in, and it made their own sign-up fail with EMAIL_TAKEN); the person now
// signs up with the invited address and finds the invitation waiting. Phone, skills and home
// area from the file are theirs to give at sign-up, not the coordinator's to set.
//
// An address is invited to a community once: importing it again leaves the invitation as it is
// (a declined one stays declined: the person's answer stands), and sends no second e-mail.
// (The platform does not verify e-mail addresses yet; an invitation goes to the account holding
// the address, the same trust the coordinator placed in it by importing it.)
import type { Services } from '../services.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { commit } from '../events/unitOfWork.ts';
import type { Selection } from './selection.ts';

/** Invites `email` to the community, once; the same whether or not an account has that address. */
export async function invite(s: Services, viewer: Viewer, communityId: string, person: { email: string; name: string }): Promise<void> {
  if (!isCoordinatorOf(viewer, communityId)) throw forbidden('invite people to this community');
  const email = person.email.trim().toLowerCase();
  await s.prisma.invitation.upsert({
    where: { communityId_email: { communityId, email } },
    create: { communityId, email, name: person.name, invitedById: viewer.id, createdAt: s.clock.now(), emailNextAttemptAt: s.clock.now() },
    update: {},
  });
}

/** The invitations waiting for the viewer's answer: those to their account's e-mail address. */
export async function openInvitations(s: Services, userId: string, query: Selection = {}) {
  const user = await s.prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) return [];
  return s.prisma.invitation.findMany({ ...query, where: { email: user.email.toLowerCase(), acceptedAt: null, declinedAt: null }, orderBy: { createdAt: 'desc' } });
}

/** Who answers an invitation: the person signed in with its address, no one else (not even admins). */
export const mayAnswerInvitation = (viewerEmail: string | null, invitation: { email: string }): boolean =>
  !!viewerEmail && viewerEmail.toLowerCase() === invitation.email.toLowerCase();

/**
 * The viewer accepts (ACTIVE membership, as if a coordinator approved it; a coordinator stays
 * one) or declines an open invitation to their address. Someone else's, or an unknown one:
 * NOT_FOUND, the same answer (invitations name addresses, which are nobody else's business).
 */
export async function answerInvitation(s: Services, viewer: Viewer, invitationId: string, accept: boolean, query: Selection = {}) {
  return commit(s, async (tx, w) => {
    const [invitation, me] = await Promise.all([
      tx.invitation.findUnique({ where: { id: invitationId } }),
      tx.user.findUnique({ where: { id: viewer.id }, select: { email: true } }),
    ]);
    if (!invitation || !mayAnswerInvitation(me?.email ?? null, invitation)) throw notFound('Invitation');
    const now = s.clock.now();
    const answered = await tx.invitation.updateMany({
      where: { id: invitationId, acceptedAt: null, declinedAt: null },
      data: accept ? { acceptedAt: now } : { declinedAt: now },
    });
    if (answered.count === 0) {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This invitation was already answered.', { currentStatus: invitation.acceptedAt ? 'ACCEPTED' : 'DECLINED' });
    }
    const { communityId } = invitation;
    if (accept) {
      const approved = { status: 'ACTIVE' as const, decidedById: invitation.invitedById, decidedAt: now, declineReason: null };
      await tx.membership.upsert({
        where: { userId_communityId: { userId: viewer.id, communityId } },
        create: { userId: viewer.id, communityId, role: 'VOLUNTEER', ...approved },
        update: approved,
      });
      w.membersChanged(communityId);
    }
    return tx.invitation.findUniqueOrThrow({ ...query, where: { id: invitationId } });
  });
}

/** The invitation e-mail, in English, Hebrew, Arabic and Russian (the address's language is not known). */
export function invitationEmail(name: string, community: string, inviter: string | null): { subject: string; text: string } {
  const by = inviter ? ` (${inviter})` : '';
  return {
    subject: `Invitation: ${community} — Mutual Aid Board`,
    text: [
      `Hello ${name},`,
      '',
      `The coordinators of ${community}${by} invite you to volunteer with them on Mutual Aid Board.`,
      'Sign in with this e-mail address (or sign up with it) and accept or decline the invitation on your profile.',
      '',
      `שלום ${name}, רכזי ${community} מזמינים אותך להתנדב איתם. יש להיכנס (או להירשם) עם כתובת המייל הזו ולאשר או לדחות את ההזמנה בפרופיל.`,
      `مرحبًا ${name}، يدعوك منسقو ${community} للتطوع معهم. سجّل الدخول (أو أنشئ حسابًا) بهذا البريد الإلكتروني واقبل الدعوة أو ارفضها في ملفك الشخصي.`,
      `Здравствуйте, ${name}! Координаторы ${community} приглашают вас в волонтёры. Войдите (или зарегистрируйтесь) с этим адресом и примите или отклоните приглашение в профиле.`,
    ].join('\n'),
  };
}

/**
 * Sends the invitation e-mails that are due, each leased first (several processes never send
 * one twice), retried with doubling waits like notification e-mail, given up after as many tries.
 */
export async function sendInvitationEmails(s: Services, now = s.clock.now()): Promise<{ sent: number; failed: number }> {
  const mail = s.mail;
  if (!mail) return { sent: 0, failed: 0 };
  const lease = new Date(now.getTime() + 5 * 60_000);
  const max = s.rules.notifications.maxEmailAttempts;
  const leased = await s.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Invitation" SET "emailNextAttemptAt" = ${lease}
    WHERE id IN (
      SELECT id FROM "Invitation" WHERE "emailSentAt" IS NULL AND "emailAttempts" < ${max} AND "emailNextAttemptAt" <= ${now}
      ORDER BY "emailNextAttemptAt" LIMIT 50 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  let sent = 0;
  let failed = 0;
  for (const { id } of leased) {
    const inv = await s.prisma.invitation.findUniqueOrThrow({ where: { id }, include: { community: { select: { name: true } }, invitedBy: { select: { name: true } } } });
    try {
      await mail.send({ to: inv.email, ...invitationEmail(inv.name, inv.community.name, inv.invitedBy?.name ?? null) });
      await s.prisma.invitation.update({ where: { id }, data: { emailSentAt: s.clock.now(), emailAttempts: { increment: 1 } } });
      sent++;
    } catch {
      const attempts = inv.emailAttempts + 1;
      await s.prisma.invitation.update({
        where: { id },
        data: { emailAttempts: attempts, emailNextAttemptAt: new Date(s.clock.now().getTime() + s.rules.notifications.emailRetryBaseMs * 2 ** (attempts - 1)) },
      });
      failed++;
    }
  }
  return { sent, failed };
}
