import { describe, expect, it } from 'vitest';
import { coordinatorsOf, viewer } from '../auth/viewers.fixture.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Services } from '../services.ts';
import { canManageMembers, mayGiveRole, profileChanges, signIn, signUp } from './accounts.ts';

describe('canManageMembers', () => {
  it.each(coordinatorsOf('sderot'))('%s → %s', (_label, v, ok) => {
    expect(canManageMembers(v, 'sderot')).toBe(ok);
  });
});

describe('mayGiveRole: admins grant and remove COORDINATOR; coordinators manage volunteers of their community', () => {
  const admin = viewer([], true);
  const coordinator = viewer([['sderot', 'COORDINATOR']]);
  const elsewhere = viewer([['ofakim', 'COORDINATOR']]);
  const volunteer = viewer([['sderot', 'VOLUNTEER']]);
  it.each([
    ['an admin grants COORDINATOR', admin, 'COORDINATOR', null, true],
    ['an admin removes COORDINATOR', admin, 'VOLUNTEER', 'COORDINATOR', true],
    ['a coordinator adds a volunteer', coordinator, 'VOLUNTEER', null, true],
    ['a coordinator keeps a volunteer one', coordinator, 'VOLUNTEER', 'VOLUNTEER', true],
    ['a coordinator grants COORDINATOR to a newcomer', coordinator, 'COORDINATOR', null, false],
    ['a coordinator promotes a volunteer', coordinator, 'COORDINATOR', 'VOLUNTEER', false],
    ['a coordinator demotes a coordinator', coordinator, 'VOLUNTEER', 'COORDINATOR', false],
    ['a coordinator of another community adds a volunteer', elsewhere, 'VOLUNTEER', null, false],
    ['a volunteer adds a volunteer', volunteer, 'VOLUNTEER', null, false],
    ['nobody signed in', null, 'VOLUNTEER', null, false],
  ] as const)('%s → %s', (_label, v, role, current, ok) => {
    expect(mayGiveRole(v, 'sderot', role, current)).toBe(ok);
  });
});

describe('profileChanges', () => {
  it.each([
    ['nothing given', {}, {}],
    ['a field left null stays as it is', { name: 'Dana', phone: null, homeArea: undefined }, { name: 'Dana' }],
    ['false, zero and empty lists are changes', { notifyEmail: false, quietFromHour: 0, skills: [], availableDays: [] }, { notifyEmail: false, quietFromHour: 0, skills: [], availableDays: [] }],
    ['home as a pair', { homeLat: 31.52, homeLng: 34.6 }, { homeLat: 31.52, homeLng: 34.6 }],
  ])('%s', (_label, input, changes) => {
    expect(profileChanges(input)).toEqual(changes);
  });
});

/** Services that record the rate-limit calls and know no user; anything else they are asked for throws. */
function fakeServices(opts: { lockedOut?: boolean; userExists?: boolean } = {}) {
  const calls: string[] = [];
  const s = {
    limits: {
      async signUp(ip: string) {
        calls.push(`signUp ${ip}`);
        if (opts.lockedOut) throw new AppError(ErrorCode.RATE_LIMITED, 'Too many sign-ups from this address. Try again in 60 seconds.');
      },
      async assertSignInAllowed(email: string, ip: string) {
        calls.push(`allowed? ${email} ${ip}`);
        if (opts.lockedOut) throw new AppError(ErrorCode.RATE_LIMITED, 'Too many failed sign-in attempts. Try again in 60 seconds.');
      },
      async recordSignInFailure(email: string, ip: string) {
        calls.push(`failure ${email} ${ip}`);
      },
    },
    prisma: {
      user: {
        async findUnique({ where }: { where: { email: string } }) {
          calls.push(`find ${where.email}`);
          return opts.userExists ? { id: 'u1', passwordHash: '!imported' } : null;
        },
      },
    },
  } as unknown as Services;
  return { s, calls };
}

describe('signIn, refusals', () => {
  it('answers an unknown e-mail as a wrong password, and counts the failure', async () => {
    const { s, calls } = fakeServices();
    await expect(signIn(s, 'nobody@example.org', 'demo-password', '10.0.0.1')).rejects.toMatchObject({
      message: 'Wrong e-mail or password.',
      extensions: { code: 'INVALID_CREDENTIALS' },
    });
    expect(calls).toEqual(['allowed? nobody@example.org 10.0.0.1', 'find nobody@example.org', 'failure nobody@example.org 10.0.0.1']);
  });

  it('answers an account without a usable password the same way', async () => {
    const { s, calls } = fakeServices({ userExists: true });
    await expect(signIn(s, 'imported@example.org', 'demo-password', '10.0.0.1')).rejects.toMatchObject({ extensions: { code: 'INVALID_CREDENTIALS' } });
    expect(calls.at(-1)).toBe('failure imported@example.org 10.0.0.1');
  });

  it('checks no password while the e-mail or address is locked out', async () => {
    const { s, calls } = fakeServices({ lockedOut: true });
    await expect(signIn(s, 'dana@example.org', 'demo-password', '10.0.0.1')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(calls).toEqual(['allowed? dana@example.org 10.0.0.1']);
  });
});

describe('signUp, refusals', () => {
  const input = { email: 'dana@example.org', password: 'long-enough-password', name: 'Dana' };

  it('refuses an e-mail already taken, at its field', async () => {
    const { s, calls } = fakeServices({ userExists: true });
    await expect(signUp(s, input, '10.0.0.1')).rejects.toMatchObject({
      message: 'An account with this e-mail already exists.',
      extensions: { code: 'EMAIL_TAKEN', field: 'email' },
    });
    expect(calls).toEqual(['signUp 10.0.0.1', 'find dana@example.org']);
  });

  it('looks nothing up past the limit of sign-ups from one address', async () => {
    const { s, calls } = fakeServices({ lockedOut: true });
    await expect(signUp(s, input, '10.0.0.1')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(calls).toEqual(['signUp 10.0.0.1']);
  });
});
