import { describe, expect, it } from 'vitest';
import { coordinatorsOf, viewer } from '../auth/viewers.fixture.ts';
import type { Services } from '../services.ts';
import { canPlanRecovery, createRecoveryGoal, linkNeedToGoal } from './recovery.ts';

describe('canPlanRecovery', () => {
  it.each(coordinatorsOf('sderot'))('%s → %s', (_label, v, ok) => {
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

describe('linkNeedToGoal: rights on both records, which belong to one community', () => {
  /** A need of `needIn` and a goal of `goalIn`; linking them would write, which these services refuse. */
  const world = (needIn: string, goalIn: string) =>
    ({
      prisma: {
        need: { findUnique: async () => ({ communityId: needIn }) },
        recoveryGoal: { findUnique: async () => ({ communityId: goalIn }) },
        needGoal: { upsert: async () => { throw new Error('written'); } },
      },
    }) as unknown as Services;
  it.each([
    ["a coordinator of the goal's community, with a need of another", viewer([['beeri', 'COORDINATOR']]), 'sderot', 'beeri', 'FORBIDDEN'],
    ["a coordinator of the need's community, with a goal of another", viewer([['sderot', 'COORDINATOR']]), 'sderot', 'beeri', 'FORBIDDEN'],
    ['a coordinator of both, with records of two communities', viewer([['sderot', 'COORDINATOR'], ['beeri', 'COORDINATOR']]), 'sderot', 'beeri', 'BAD_USER_INPUT'],
    ['an admin, with records of two communities', viewer([], true), 'sderot', 'beeri', 'BAD_USER_INPUT'],
  ] as const)('%s → %s, before writing', async (_label, v, needIn, goalIn, code) => {
    await expect(linkNeedToGoal(world(needIn, goalIn), v, 'n', 'g')).rejects.toMatchObject({ extensions: { code } });
  });
  it('links within one community (and only then writes)', async () => {
    await expect(linkNeedToGoal(world('beeri', 'beeri'), viewer([['beeri', 'COORDINATOR']]), 'n', 'g')).rejects.toThrow('written');
  });
});
