// The need state machine: OPEN → CLAIMED → IN_PROGRESS → DONE, CANCELLED, and back to
// OPEN on release, expiry or reopen. Each action names the states it may start from.
import { AppError, ErrorCode } from '../errors.ts';
import type { ClaimStatus, NeedStatus } from '../generated/prisma/enums.ts';

export type NeedAction = 'claim' | 'update' | 'cancel' | 'reopen' | 'assign' | 'attachCall';

const allowedFrom: Record<NeedAction, readonly NeedStatus[]> = {
  claim: ['OPEN', 'CLAIMED', 'IN_PROGRESS'],
  assign: ['OPEN', 'CLAIMED', 'IN_PROGRESS'],
  update: ['OPEN', 'CLAIMED', 'IN_PROGRESS'],
  cancel: ['OPEN', 'CLAIMED', 'IN_PROGRESS'],
  reopen: ['CANCELLED', 'DONE'],
  /** Another call about a need still being met: a note on it (intake's "attach to existing"). */
  attachCall: ['OPEN', 'CLAIMED', 'IN_PROGRESS'],
};

/** Whether the need's state machine allows `action` from `status`. */
export const needActionAllowed = (action: NeedAction, status: NeedStatus): boolean => allowedFrom[action].includes(status);

export function assertNeedAction(action: NeedAction, status: NeedStatus): void {
  if (!needActionAllowed(action, status)) {
    throw new AppError(
      ErrorCode.ILLEGAL_TRANSITION,
      `Cannot ${action} a need that is ${status.toLowerCase().replace('_', ' ')}.`,
      { currentStatus: status, action },
    );
  }
}

/** A claim someone is still on: it holds a place on its need and counts towards the volunteer's cap. */
export const LIVE_CLAIM_STATUSES = ['ACTIVE', 'STARTED'] as const satisfies readonly ClaimStatus[];
/** Prisma's filter for a live claim's status. */
export const liveClaim = { in: [...LIVE_CLAIM_STATUSES] };

export type ClaimAction = 'start' | 'release' | 'complete' | 'extend' | 'unassign' | 'verify';

const claimAllowedFrom: Record<ClaimAction, readonly ClaimStatus[]> = {
  start: ['ACTIVE'],
  release: LIVE_CLAIM_STATUSES,
  unassign: LIVE_CLAIM_STATUSES,
  complete: ['STARTED'],
  extend: ['ACTIVE'],
  verify: ['COMPLETED'],
};

/** Whether the claim's state machine allows `action` from `status`. */
export const claimActionAllowed = (action: ClaimAction, status: ClaimStatus): boolean => claimAllowedFrom[action].includes(status);

export function assertClaimAction(action: ClaimAction, status: ClaimStatus): void {
  if (!claimActionAllowed(action, status)) {
    throw new AppError(
      ErrorCode.ILLEGAL_TRANSITION,
      `Cannot ${action} a claim that is ${status.toLowerCase()}.`,
      { currentStatus: status, action },
    );
  }
}

/** Places still to take: none once the need is done or cancelled, whatever its claims. */
export function openSlots(need: { status: NeedStatus; slots: number; activeClaims: number }): number {
  return need.status === 'DONE' || need.status === 'CANCELLED' ? 0 : Math.max(0, need.slots - need.activeClaims);
}

/** The need's status that follows from its live claims. */
export function statusFromClaims(counts: { active: number; started: number; slots: number }): NeedStatus {
  if (counts.started > 0) return 'IN_PROGRESS';
  if (counts.active >= counts.slots) return 'CLAIMED';
  return 'OPEN';
}
