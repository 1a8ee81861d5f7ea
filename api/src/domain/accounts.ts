// Accounts and memberships: sign up, sign in and out, the profile, and the roles coordinators
// give (joining and approval: memberships.ts). A session is returned to the caller, which hands its token to
// the client (the resolver sets the cookie).
import type { Services } from '../services.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { MembershipRole, NeedCategory, NotificationKind } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { createSession, revokeSession } from '../auth/sessions.ts';
import type { Selection } from './selection.ts';
import { assertRoleFitsCommunity } from './centres.ts';

export type Session = { token: string; expiresAt: Date; userId: string };

async function startSession(s: Services, userId: string): Promise<Session> {
  const session = await createSession(s, userId, s.rules.sessions.ttlHours);
  return { token: session.token, expiresAt: session.expiresAt, userId };
}

export type NewAccount = {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
  locale?: string | null;
  skills?: NeedCategory[] | null;
  homeArea?: string | null;
};

/** A new account, signed in. At most so many sign-ups per client address; one account per e-mail. */
export async function signUp(s: Services, input: NewAccount, clientKey: string): Promise<Session> {
  await s.limits.signUp(clientKey);
  const existing = await s.prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new AppError(ErrorCode.EMAIL_TAKEN, 'An account with this e-mail already exists.', { field: 'email' });
  const user = await s.prisma.user.create({
    data: {
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      phone: input.phone ?? null,
      locale: input.locale ?? 'he',
      skills: input.skills ?? [],
      homeArea: input.homeArea ?? null,
    },
  });
  return startSession(s, user.id);
}

/**
 * A session for the right password. An unknown e-mail is checked against a dummy hash, so that
 * it takes as long as a wrong password and says the same. Failures make this e-mail wait from this
 * address (growing waits; see auth/rateLimits.ts), a success clears that; the owner elsewhere is
 * not made to wait.
 */
export async function signIn(s: Services, email: string, password: string, clientKey: string): Promise<Session> {
  await s.limits.assertSignInAllowed(email, clientKey);
  const user = await s.prisma.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok) {
    await s.limits.recordSignInFailure(email, clientKey);
    throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'Wrong e-mail or password.');
  }
  await s.limits.recordSignInSuccess(email, clientKey);
  return startSession(s, user.id);
}

/** Ends the viewer's session (nothing to end when no one is signed in). */
export async function signOut(s: Services, viewer: Viewer | null): Promise<void> {
  if (viewer) await revokeSession(s, viewer.sessionId);
}

type Profile = {
  name: string;
  phone: string;
  locale: string;
  skills: NeedCategory[];
  homeArea: string;
  homeLat: number;
  homeLng: number;
  availableDays: number[];
  availableFromHour: number;
  availableToHour: number;
  notifyInApp: boolean;
  notifyEmail: boolean;
  mutedKinds: NotificationKind[];
  quietFromHour: number;
  quietToHour: number;
};
export type ProfileInput = { [K in keyof Profile]?: Profile[K] | null };

/** What a profile edit changes: the fields given; a field left out or null stays as it is. */
export function profileChanges(input: ProfileInput): Partial<Profile> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v != null));
}

export function updateProfile(s: Services, viewer: Viewer, input: ProfileInput, query: Selection = {}) {
  return s.prisma.user.update({ ...query, where: { id: viewer.id }, data: profileChanges(input) });
}

/** Who adds members to a community: its coordinators, and admins (which roles they give: {@link mayGiveRole}). */
export function canManageMembers(viewer: Viewer | null, communityId: string): boolean {
  return isCoordinatorOf(viewer, communityId);
}

/**
 * The membership policy: may `viewer` give `role` in `communityId` to a user whose role there is
 * `current` (null: not a member yet)?
 * - Admins give any role in any community: they alone grant and remove COORDINATOR and
 *   HOTLINE_OPERATOR (an operations centre's, domain/centres.ts).
 * - A community's coordinators manage its VOLUNTEER memberships only: they add a user as a
 *   volunteer (a volunteer stays one); granting COORDINATOR, or changing a coordinator's role
 *   (their own included), is not theirs to do.
 * - No one else gives any role.
 */
export function mayGiveRole(viewer: Viewer | null, communityId: string, role: MembershipRole, current: MembershipRole | null): boolean {
  if (viewer?.isAdmin) return true;
  return canManageMembers(viewer, communityId) && role === 'VOLUNTEER' && current !== 'COORDINATOR';
}

/** Gives `role` in the community to the user, as {@link mayGiveRole} allows; FORBIDDEN and no change otherwise. */
export async function setMembershipRole(s: Services, viewer: Viewer, input: { communityId: string; userId: string; role: MembershipRole }, query: Selection = {}) {
  const { communityId, role } = input;
  if (!canManageMembers(viewer, communityId)) throw forbidden('manage members of this community');
  const user = await s.prisma.user.findUnique({ where: { id: input.userId }, select: { id: true } });
  if (!user) throw notFound('User');
  const where = { userId_communityId: { userId: user.id, communityId } };
  const current = await s.prisma.membership.findUnique({ where, select: { role: true } });
  if (!mayGiveRole(viewer, communityId, role, current?.role ?? null)) {
    throw forbidden(
      role === 'COORDINATOR' ? 'grant the coordinator role (an admin does)' : role === 'HOTLINE_OPERATOR' ? "grant the hotline operator's role (an admin does)" : "change a coordinator's role (an admin does)",
    );
  }
  await assertRoleFitsCommunity(s, communityId, role);
  // A coordinator only ever adds a volunteer: should an admin have changed the role since it was
  // read, the upsert leaves it as the admin set it. A membership made here is ACTIVE (the column's
  // default: given by a coordinator or admin); an applicant's keeps its status (memberships.ts decides it).
  return s.prisma.membership.upsert({ ...query, where, create: { userId: user.id, communityId, role }, update: viewer.isAdmin ? { role } : {} });
}
