import { describe, expect, it } from 'vitest';
import { grantsOf } from './roles.ts';
import { intakeCommunityIds, isAnyCoordinator, isCoordinatorOf, isMemberOf, takesAnyIntake, takesIntakeFor, type Viewer } from './viewer.ts';

const coverage = new Map([['ops', ['sderot', 'beeri']]]);
const as = (memberships: Parameters<typeof grantsOf>[0]): Viewer => ({ id: 'u', name: 'U', isAdmin: false, sessionId: 's', sessionExpiresAt: new Date(0), ...grantsOf(memberships, coverage) });

describe('what memberships give (auth/roles.ts)', () => {
  it("a centre's coordinator coordinates the centre and every community it covers", () => {
    const v = as([{ communityId: 'ops', role: 'COORDINATOR' }, { communityId: 'sderot', role: 'VOLUNTEER' }]);
    expect(['ops', 'sderot', 'beeri', 'ofakim'].map((c) => isCoordinatorOf(v, c))).toEqual([true, true, true, false]);
    expect(v.operatesFor.size).toBe(0);
  });

  it("a centre's hotline operator takes in needs for the centre and what it covers, and coordinates nothing", () => {
    const v = as([{ communityId: 'ops', role: 'HOTLINE_OPERATOR' }]);
    expect(['ops', 'sderot', 'beeri', 'ofakim'].map((c) => takesIntakeFor(v, c))).toEqual([true, true, true, false]);
    expect(['ops', 'sderot', 'beeri'].some((c) => isCoordinatorOf(v, c))).toBe(false);
    expect(isAnyCoordinator(v)).toBe(false);
    expect(takesAnyIntake(v)).toBe(true);
    expect(intakeCommunityIds(v)).toEqual(['ops', 'sderot', 'beeri']);
    // A member of the centre (its board), not of the communities it covers.
    expect([isMemberOf(v, 'ops'), isMemberOf(v, 'sderot')]).toEqual([true, false]);
  });

  it('coverage gives a volunteer of the centre nothing in the communities it covers', () => {
    const v = as([{ communityId: 'ops', role: 'VOLUNTEER' }]);
    expect([isMemberOf(v, 'sderot'), takesIntakeFor(v, 'sderot'), takesIntakeFor(v, 'ops')]).toEqual([false, false, false]);
  });

  it('a coordinator of a community takes its needs in, without being an operator', () => {
    const v = as([{ communityId: 'ofakim', role: 'COORDINATOR' }]);
    expect([takesIntakeFor(v, 'ofakim'), takesIntakeFor(v, 'sderot'), takesAnyIntake(v)]).toEqual([true, false, true]);
  });
});
