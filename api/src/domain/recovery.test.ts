import { describe, expect, it } from 'vitest';
import { coordinatorsOf, viewer } from '../auth/viewers.fixture.ts';
import type { Services } from '../services.ts';
import { canPlanRecovery, createRecoveryGoal } from './recovery.ts';

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
