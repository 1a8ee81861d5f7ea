import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { Services } from '../services.ts';
import { canPlanRecovery, createRecoveryGoal } from './recovery.ts';

const viewer = (roles: [string, MembershipRole][], isAdmin = false): Viewer => ({
  id: 'u', name: 'U', isAdmin, roles: new Map(roles), sessionId: 's', sessionExpiresAt: new Date(0),
});

describe('canPlanRecovery', () => {
  it.each([
    ['nobody signed in', null, false],
    ['a coordinator of the community', viewer([['sderot', 'COORDINATOR']]), true],
    ['a volunteer of the community', viewer([['sderot', 'VOLUNTEER']]), false],
    ['a coordinator of another community', viewer([['beeri', 'COORDINATOR']]), false],
    ['an admin', viewer([], true), true],
  ])('%s → %s', (_label, v, ok) => {
    expect(canPlanRecovery(v, 'sderot')).toBe(ok);
  });
});

describe('createRecoveryGoal, who may plan', () => {
  /** Refused before anything is written: a test that reached the database would throw here. */
  const NO_SERVICES = {} as Services;
  it('refuses a coordinator of another community before writing', async () => {
    await expect(createRecoveryGoal(NO_SERVICES, viewer([['beeri', 'COORDINATOR']]), { communityId: 'sderot', title: 'Rebuild', domain: 'HOUSING' })).rejects.toMatchObject({
      message: "You are not allowed to plan this community's recovery.",
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
