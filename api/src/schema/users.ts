// Accounts: the User type, sign up, sign in, sign out, me.
import { z } from 'zod';
import { builder } from './builder.ts';
import { viewerFromToken } from '../auth/sessions.ts';
import { signIn, signOut, signUp, updateProfile, type Session } from '../domain/accounts.ts';
import { canSeePersonalDetails } from '../domain/privacy.ts';
import { LocaleEnum, NeedCategoryEnum, NotificationKindEnum } from './enums.ts';
import type { Context } from '../context.ts';

const selfOrAdmin = (user: { id: string }, ctx: Context) => canSeePersonalDetails(ctx.viewer, user);

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { signedIn: true },
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: { signedIn: true } }),
    email: t.exposeString('email', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    phone: t.exposeString('phone', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    locale: t.exposeString('locale', { authScopes: { signedIn: true } }),
    skills: t.expose('skills', { type: [NeedCategoryEnum], authScopes: { signedIn: true } }),
    homeArea: t.exposeString('homeArea', { nullable: true, authScopes: { signedIn: true } }),
    homeLat: t.exposeFloat('homeLat', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    homeLng: t.exposeFloat('homeLng', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    availableDays: t.exposeIntList('availableDays', { authScopes: { signedIn: true } }),
    availableFromHour: t.exposeInt('availableFromHour', { nullable: true, authScopes: { signedIn: true } }),
    availableToHour: t.exposeInt('availableToHour', { nullable: true, authScopes: { signedIn: true } }),
    notifyInApp: t.exposeBoolean('notifyInApp', { authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    notifyEmail: t.exposeBoolean('notifyEmail', { authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    mutedKinds: t.expose('mutedKinds', { type: [NotificationKindEnum], authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    quietFromHour: t.exposeInt('quietFromHour', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    quietToHour: t.exposeInt('quietToHour', { nullable: true, authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
    isAdmin: t.boolean({ authScopes: { signedIn: true }, resolve: (u) => u.globalRole === 'ADMIN' }),
    memberships: t.relation('memberships', { authScopes: (u, _args, ctx) => selfOrAdmin(u, ctx) }),
  }),
});

const SessionPayload = builder.objectRef<Session>('SessionPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({
    /** Bearer token for API clients; browsers use the HttpOnly cookie set with it. */
    token: t.exposeString('token', { authScopes: { public: true } }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', authScopes: { public: true } }),
    user: t.prismaField({
      type: 'User',
      authScopes: { public: true },
      resolve: (query, p, _args, ctx) => ctx.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: p.userId } }),
    }),
  }),
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    authScopes: { public: true },
    description: 'The signed-in user, or null.',
    resolve: (query, _root, _args, ctx) => {
      // Spread either way, so an anonymous `me` is not reported as an unused query.
      const args = { ...query, where: { id: ctx.viewer?.id ?? '' } };
      return ctx.viewer ? ctx.services.prisma.user.findUnique(args) : null;
    },
  }),
);

/** A session that starts with this response: its cookie, and the rest of the response is read as its user. */
async function started(ctx: Context, session: Session): Promise<Session> {
  ctx.setSessionCookie?.(session.token, session.expiresAt);
  ctx.viewer = await viewerFromToken(ctx.services, session.token);
  return session;
}

const email = z.email('Enter a valid e-mail address.').max(254).transform((s) => s.trim().toLowerCase());
const password = z.string().min(10, 'Use at least 10 characters.').max(200);

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: email }),
    password: t.string({ required: true, validate: password }),
    name: t.string({ required: true, validate: z.string().trim().min(1, 'Enter your name.').max(100) }),
    phone: t.string({ validate: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Enter a valid phone number.') }),
    locale: t.field({ type: LocaleEnum }),
    skills: t.field({ type: [NeedCategoryEnum] }),
    homeArea: t.string({ validate: z.string().trim().max(100) }),
  }),
});

builder.mutationField('signUp', (t) =>
  t.field({
    type: SessionPayload,
    authScopes: { public: true },
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) => started(ctx, await signUp(ctx.services, input, ctx.clientKey)),
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: SessionPayload,
    authScopes: { public: true },
    args: {
      email: t.arg.string({ required: true, validate: email }),
      password: t.arg.string({ required: true, validate: z.string().max(200) }),
    },
    resolve: async (_root, args, ctx) => started(ctx, await signIn(ctx.services, args.email, args.password, ctx.clientKey)),
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    authScopes: { public: true },
    resolve: async (_root, _args, ctx) => {
      await signOut(ctx.services, ctx.viewer);
      ctx.setSessionCookie?.(null);
      return true;
    },
  }),
);

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    name: t.string({ validate: z.string().trim().min(1, 'Enter your name.').max(100) }),
    phone: t.string({ validate: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Enter a valid phone number.') }),
    locale: t.field({ type: LocaleEnum }),
    skills: t.field({ type: [NeedCategoryEnum] }),
    homeArea: t.string({ validate: z.string().trim().max(100) }),
    homeLat: t.float({ validate: z.number().min(-90).max(90) }),
    homeLng: t.float({ validate: z.number().min(-180).max(180) }),
    availableDays: t.intList({ validate: z.array(z.number().int().min(0).max(6)).max(7) }),
    availableFromHour: t.int({ validate: z.number().int().min(0).max(23) }),
    availableToHour: t.int({ validate: z.number().int().min(1).max(24) }),
    notifyInApp: t.boolean(),
    notifyEmail: t.boolean(),
    mutedKinds: t.field({ type: [NotificationKindEnum] }),
    quietFromHour: t.int({ validate: z.number().int().min(0).max(23) }),
    quietToHour: t.int({ validate: z.number().int().min(0).max(23) }),
  }),
  validate: z
    .looseObject({ availableFromHour: z.number().nullish(), availableToHour: z.number().nullish(), homeLat: z.number().nullish(), homeLng: z.number().nullish() })
    .refine((v) => v.availableFromHour == null || v.availableToHour == null || v.availableToHour > v.availableFromHour, {
      message: 'The available hours must end after they start.',
      path: ['availableToHour'],
    })
    .refine((v) => (v.homeLat == null) === (v.homeLng == null), { message: 'Give both latitude and longitude of home.', path: ['homeLng'] }),
});

builder.mutationField('updateProfile', (t) =>
  t.prismaField({
    type: 'User',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => updateProfile(ctx.services, ctx.viewer!, input, query),
  }),
);
