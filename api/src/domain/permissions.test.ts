// The permissions agree with the state machines the mutations assert (needStatus.ts) and with who may
// act (auth/viewer.ts), for every need status and every state of the viewer's own claim.
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { ClaimStatus, NeedStatus } from '../generated/prisma/enums.ts';
import { assertClaimAction, assertNeedAction, type ClaimAction, type NeedAction } from './needStatus.ts';
import { needPermissions, type PermissionNeed, type ViewerClaim } from './permissions.ts';

const viewer = (roles: [string, 'VOLUNTEER' | 'COORDINATOR'][], isAdmin = false): Viewer => ({
  id: 'u1',
  name: 'Someone',
  isAdmin,
  roles: new Map(roles), operatesFor: new Set(),
  sessionId: 's',
  sessionExpiresAt: new Date(0),
});
const viewers = {
  anonymous: null,
  outsider: viewer([['other', 'VOLUNTEER']]),
  member: viewer([['c1', 'VOLUNTEER']]),
  coordinator: viewer([['c1', 'COORDINATOR']]),
  admin: viewer([], true),
};
const statuses: NeedStatus[] = ['OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'CANCELLED'];
const claims: ViewerClaim[] = [null, { status: 'ACTIVE' }, { status: 'STARTED' }];
const needs = (status: NeedStatus): PermissionNeed[] => [
  { communityId: 'c1', status, slots: 2, activeClaims: 1, mergedIntoId: null },
  { communityId: 'c1', status, slots: 1, activeClaims: 1, mergedIntoId: null },
  { communityId: 'c1', status, slots: 1, activeClaims: 0, mergedIntoId: 'other-need' },
];
const allows = (assert: () => void) => {
  try {
    assert();
    return true;
  } catch {
    return false;
  }
};
const needAllows = (action: NeedAction, s: NeedStatus) => allows(() => assertNeedAction(action, s));
const claimAllows = (action: ClaimAction, c: ViewerClaim) => !!c && allows(() => assertClaimAction(action, c.status as ClaimStatus));

describe('what the viewer may do with a need', () => {
  for (const [who, v] of Object.entries(viewers)) {
    const member = !!v && (v.isAdmin || v.roles.has('c1'));
    const coordinator = !!v && (v.isAdmin || v.roles.get('c1') === 'COORDINATOR');
    it(`follows the state machines and the roles, for ${who}`, () => {
      for (const status of statuses) {
        for (const need of needs(status)) {
          for (const claim of claims) {
            const p = needPermissions(v, need, claim);
            const mine = v ? claim : null;
            const free = need.activeClaims < need.slots;
            const takes = !mine && needAllows('claim', status) && free;
            const context = JSON.stringify({ who, need, claim });
            expect({ context, p }).toEqual({
              context,
              p: {
                claim: member && takes,
                claimOnceMember: takes,
                start: claimAllows('start', mine),
                extend: claimAllows('extend', mine),
                complete: claimAllows('complete', mine),
                release: claimAllows('release', mine),
                askHandover: member && !mine && needAllows('claim', status) && !free,
                assign: coordinator && needAllows('assign', status) && free,
                askVolunteer: coordinator && needAllows('assign', status),
                unassign: coordinator && need.activeClaims > 0,
                verify: coordinator,
                edit: coordinator && needAllows('update', status),
                cancel: coordinator && needAllows('cancel', status),
                reopen: coordinator && needAllows('reopen', status) && !need.mergedIntoId,
                merge: coordinator && !need.mergedIntoId,
                seePrivate: coordinator || !!mine,
              },
            });
          }
        }
      }
    });
  }
});

describe('a need that asks for vetting', () => {
  const need: PermissionNeed = { communityId: 'c1', status: 'OPEN', slots: 1, activeClaims: 0, mergedIntoId: null };
  const full: PermissionNeed = { ...need, status: 'CLAIMED', activeClaims: 1 };
  const lacking = [{ requirement: 'TRAINING' as const, training: 'child-safety', expiredAt: null }];
  it('is not offered to a member who lacks what it asks (claim, handover), and is once they have it', () => {
    expect(needPermissions(viewers.member, need, null, lacking)).toMatchObject({ claim: false, claimOnceMember: true });
    expect(needPermissions(viewers.member, full, null, lacking).askHandover).toBe(false);
    expect(needPermissions(viewers.member, need, null, []).claim).toBe(true);
    expect(needPermissions(viewers.member, full, null, []).askHandover).toBe(true);
  });
  it('leaves what coordinators do unchanged', () => {
    expect(needPermissions(viewers.coordinator, need, null, lacking)).toMatchObject({ claim: false, assign: true, edit: true, seePrivate: true });
  });
});
