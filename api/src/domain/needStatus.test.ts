import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../errors.ts';
import type { ClaimStatus, NeedStatus } from '../generated/prisma/enums.ts';
import { assertClaimAction, assertNeedAction, openSlots, statusFromClaims, type ClaimAction, type NeedAction } from './needStatus.ts';

type Row<A, S> = { action: A; status: S; allowed: boolean };

/**
 * A state machine's transition table, a row per status and a column per action (1: allowed),
 * checked cell by cell: allowed ones pass, the others throw ILLEGAL_TRANSITION saying what and
 * from where. `allowedCells` keeps the table from quietly losing a row.
 */
function machine<A extends string, S extends string>(spec: {
  name: string;
  actions: readonly A[];
  matrix: Record<S, (0 | 1)[]>;
  allowedCells: number;
  assert: (action: A, status: S) => void;
  messages: [A, S, string][];
}) {
  describe(`${spec.name} transitions`, () => {
    const statuses = Object.keys(spec.matrix) as S[];
    const table: Row<A, S>[] = statuses.flatMap((status) => spec.actions.map((action, i) => ({ action, status, allowed: spec.matrix[status][i] === 1 })));

    it(`has all ${statuses.length} × ${spec.actions.length} cells, ${spec.allowedCells} of them allowed`, () => {
      for (const status of statuses) expect(spec.matrix[status]).toHaveLength(spec.actions.length);
      expect(table.filter((t) => t.allowed)).toHaveLength(spec.allowedCells);
    });

    it.each(table.filter((t) => t.allowed))('allows $action from $status', ({ action, status }) => {
      expect(() => spec.assert(action, status)).not.toThrow();
    });

    it.each(table.filter((t) => !t.allowed))('refuses $action from $status', ({ action, status }) => {
      expect(refusal(() => spec.assert(action, status)).extensions).toEqual({ code: ErrorCode.ILLEGAL_TRANSITION, currentStatus: status, action });
    });

    it.each(spec.messages)('says why it refuses %s from %s', (action, status, message) => {
      expect(refusal(() => spec.assert(action, status)).message).toBe(message);
    });
  });
}

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an illegal transition');
}

// Record<NeedStatus, …> and Record<ClaimStatus, …>: a status added to the schema does not
// compile until it has its row here.
machine<NeedAction, NeedStatus>({
  name: 'need',
  actions: ['claim', 'assign', 'update', 'cancel', 'reopen', 'attachCall'],
  matrix: {
    //           claim assign update cancel reopen attachCall
    OPEN:        [1,    1,     1,     1,     0,     1],
    CLAIMED:     [1,    1,     1,     1,     0,     1],
    IN_PROGRESS: [1,    1,     1,     1,     0,     1],
    DONE:        [0,    0,     0,     0,     1,     0],
    CANCELLED:   [0,    0,     0,     0,     1,     0],
  },
  allowedCells: 17,
  assert: assertNeedAction,
  messages: [
    ['claim', 'DONE', 'Cannot claim a need that is done.'],
    ['update', 'CANCELLED', 'Cannot update a need that is cancelled.'],
    ['reopen', 'IN_PROGRESS', 'Cannot reopen a need that is in progress.'],
    ['reopen', 'OPEN', 'Cannot reopen a need that is open.'],
  ],
});

machine<ClaimAction, ClaimStatus>({
  name: 'claim',
  actions: ['start', 'release', 'unassign', 'complete', 'extend', 'verify'],
  matrix: {
    //         start release unassign complete extend verify
    ACTIVE:    [1,    1,      1,       0,       1,     0],
    STARTED:   [0,    1,      1,       1,       0,     0],
    RELEASED:  [0,    0,      0,       0,       0,     0],
    EXPIRED:   [0,    0,      0,       0,       0,     0],
    COMPLETED: [0,    0,      0,       0,       0,     1],
  },
  allowedCells: 8,
  assert: assertClaimAction,
  messages: [
    ['complete', 'ACTIVE', 'Cannot complete a claim that is active.'],
    ['extend', 'EXPIRED', 'Cannot extend a claim that is expired.'],
    ['verify', 'STARTED', 'Cannot verify a claim that is started.'],
  ],
});

describe('statusFromClaims', () => {
  it.each([
    { active: 0, started: 0, slots: 1, status: 'OPEN' },
    { active: 1, started: 0, slots: 1, status: 'CLAIMED' },
    { active: 1, started: 1, slots: 1, status: 'IN_PROGRESS' },
    { active: 1, started: 0, slots: 3, status: 'OPEN' },
    { active: 2, started: 0, slots: 3, status: 'OPEN' },
    { active: 3, started: 0, slots: 3, status: 'CLAIMED' },
    // One volunteer at work makes it in progress even with places left.
    { active: 1, started: 1, slots: 3, status: 'IN_PROGRESS' },
    // More live claims than places (slots lowered by a merge or an edit): still full.
    { active: 4, started: 0, slots: 3, status: 'CLAIMED' },
  ] as const)('$active live, $started started, $slots slots → $status', ({ status, ...counts }) => {
    expect(statusFromClaims(counts)).toBe(status);
  });
});

describe('openSlots', () => {
  it.each([
    ['open, none taken', 'OPEN', 3, 0, 3],
    ['open, one of three taken', 'OPEN', 3, 1, 2],
    ['claimed: all taken', 'CLAIMED', 2, 2, 0],
    ['more claims than places (a slot count lowered)', 'IN_PROGRESS', 1, 2, 0],
    ['done: no place to take, though its claims are no longer live', 'DONE', 1, 0, 0],
    ['cancelled', 'CANCELLED', 4, 0, 0],
  ] as const)('%s', (_label, status, slots, activeClaims, open) => {
    expect(openSlots({ status, slots, activeClaims })).toBe(open);
  });
});
