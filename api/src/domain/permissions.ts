// What the viewer may do with a need, by the rules the mutations enforce (domain/claims.ts, needs.ts,
// handover.ts, duplicates.ts, matching.ts): one pure function of who asks, the need, and the viewer's
// own live claim on it, so a client shows an action exactly when the API would take it. The API still
// decides each action under the need's lock: a race (the last place taken a moment ago) can refuse it,
// and a few checks need more than one need's row (the volunteer's claim limit, a handover already
// pending, a merge's other need).
import type { Need } from '../generated/prisma/client.ts';
import type { ClaimStatus } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { claimActionAllowed, needActionAllowed } from './needStatus.ts';
import { seesPrivateDetails, type IntakeColumns } from './privacy.ts';
import type { Missing } from './vetting.ts';

/** The columns of a need the rules read (who took it in and when: for the operator's window, privacy.ts). */
export type PermissionNeed = Pick<Need, 'communityId' | 'status' | 'slots' | 'activeClaims' | 'mergedIntoId'> & IntakeColumns;
/** The viewer's live (ACTIVE or STARTED) claim on the need, or null. */
export type ViewerClaim = { status: ClaimStatus } | null;

type Facts = { viewer: Viewer | null; need: PermissionNeed; claim: ViewerClaim; coordinator: boolean; member: boolean; vetted: boolean; windowStart: Date | undefined };

const hasOpenSlot = (n: PermissionNeed) => n.activeClaims < n.slots;
/** The need takes a claim from someone holding none on it: the state machine allows it and a place is free. */
const takesClaims = ({ need, claim }: Facts) => claim === null && needActionAllowed('claim', need.status) && hasOpenSlot(need);
const ownClaimAllows = (action: 'start' | 'extend' | 'complete' | 'release') => ({ claim }: Facts) => claim !== null && claimActionAllowed(action, claim.status);

/** Each permission: what it means (its description in the schema) and its rule. */
const rules = {
  claim: {
    description: 'Take a place on this need (claimNeed): a member of its community, vetted as it requires (Need.viewerLacks), holding no claim on it, and a place is free.',
    rule: (f: Facts) => f.member && f.vetted && takesClaims(f),
  },
  claimOnceMember: {
    description: 'The need takes a claim from a member of its community and the viewer holds none: true also before signing in or joining, for a prompt to do so.',
    rule: takesClaims,
  },
  start: { description: "Start the viewer's claim (startClaim): it is active, not started.", rule: ownClaimAllows('start') },
  extend: { description: "Extend the viewer's claim before it expires (extendClaim): it is active, not started.", rule: ownClaimAllows('extend') },
  complete: { description: "Mark the viewer's claim done (completeClaim): it is started.", rule: ownClaimAllows('complete') },
  release: { description: "Give the viewer's claim back (releaseClaim): it is active or started.", rule: ownClaimAllows('release') },
  askHandover: {
    description: 'Ask to take over a claim of this need (requestHandover): a member of its community, vetted as it requires, holding no claim on it, and every place is taken.',
    rule: (f: Facts) => f.member && f.vetted && f.claim === null && needActionAllowed('claim', f.need.status) && !hasOpenSlot(f.need),
  },
  assign: {
    description: 'Assign a volunteer to this need (assignNeed): a coordinator of its community, and a place is free.',
    rule: (f: Facts) => f.coordinator && needActionAllowed('assign', f.need.status) && hasOpenSlot(f.need),
  },
  askVolunteer: {
    description: 'Ask volunteers to help (askVolunteer) and see who fits best: a coordinator of its community, while the need is open, claimed or in progress.',
    rule: (f: Facts) => f.coordinator && needActionAllowed('assign', f.need.status),
  },
  unassign: { description: "Take a volunteer off this need (unassignClaim): a coordinator of its community, and someone holds it.", rule: (f: Facts) => f.coordinator && f.need.activeClaims > 0 },
  verify: { description: 'Verify the completed claims of this need (verifyCompletion): a coordinator of its community.', rule: (f: Facts) => f.coordinator },
  edit: { description: 'Edit this need (updateNeed): a coordinator of its community, while it is open, claimed or in progress.', rule: (f: Facts) => f.coordinator && needActionAllowed('update', f.need.status) },
  cancel: { description: 'Cancel this need (cancelNeed): a coordinator of its community, while it is open, claimed or in progress.', rule: (f: Facts) => f.coordinator && needActionAllowed('cancel', f.need.status) },
  reopen: {
    description: 'Reopen this need (reopenNeed): a coordinator of its community, once it is done or cancelled, unless it was merged into another.',
    rule: (f: Facts) => f.coordinator && needActionAllowed('reopen', f.need.status) && !f.need.mergedIntoId,
  },
  merge: { description: 'Merge this need with a duplicate (mergeNeeds): a coordinator of its community, unless it was merged already.', rule: (f: Facts) => f.coordinator && !f.need.mergedIntoId },
  seePrivate: {
    description:
      'See the exact place and the requester (privateDetails): coordinators of its community, the volunteer holding a live claim on it, and the hotline operator who took it in, for a while after.',
    rule: (f: Facts) => seesPrivateDetails(f.viewer, f.need, f.claim !== null, f.windowStart),
  },
} satisfies Record<string, { description: string; rule: (f: Facts) => boolean }>;

export type NeedPermissions = { [P in keyof typeof rules]: boolean };
export type NeedPermission = keyof NeedPermissions;

export const permissionDescriptions = Object.fromEntries(Object.entries(rules).map(([name, r]) => [name, r.description])) as Record<NeedPermission, string>;

/**
 * What `viewer` may do with `need`, holding `claim` (their live claim on it, or null) and lacking
 * `missing` of what the need requires (domain/vetting.ts missingRequirements); `windowStart`: the
 * hotline operator's window now (privacy.ts operatorWindowStart).
 */
export function needPermissions(viewer: Viewer | null, need: PermissionNeed, claim: ViewerClaim, missing: readonly Missing[] = [], windowStart?: Date): NeedPermissions {
  const facts: Facts = {
    viewer,
    need,
    // An API key's creator's claim outside the key's communities is not the key's.
    claim: viewer && withinKeyScope(viewer, need.communityId) ? claim : null,
    coordinator: isCoordinatorOf(viewer, need.communityId),
    member: isMemberOf(viewer, need.communityId),
    vetted: missing.length === 0,
    windowStart,
  };
  return Object.fromEntries(Object.entries(rules).map(([name, r]) => [name, r.rule(facts)])) as NeedPermissions;
}
