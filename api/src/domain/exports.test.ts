import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { Services } from '../services.ts';
import { exportRows, type ExportKind } from './exports.ts';

/** Refusals happen before anything is read: a test that reached the database would throw here. */
const NO_SERVICES = {} as Services;

// Who may export is decided before the first row is read: these refusals need no database.
describe('exportRows, who may export', () => {
  const viewer = (roles: [string, MembershipRole][]): Viewer => ({ id: 'u', name: 'U', isAdmin: false, roles: new Map(roles), sessionId: 's', sessionExpiresAt: new Date(0) });
  const first = (v: Viewer, kind: ExportKind, communityIds?: string[]) => exportRows(NO_SERVICES, v, kind, { communityIds }).next();

  it.each([
    ['nobody who coordinates nothing', viewer([['c1', 'VOLUNTEER']]), 'needs', undefined, 'You are not allowed to export data.'],
    ['nobody without a community', viewer([]), 'events', undefined, 'You are not allowed to export data.'],
    ['not a community one only volunteers in', viewer([['c1', 'COORDINATOR'], ['c2', 'VOLUNTEER']]), 'needs', ['c2'], "You are not allowed to export a community you don't coordinate."],
    ['not a list with one community too many', viewer([['c1', 'COORDINATOR']]), 'indicators', ['c1', 'c3'], "You are not allowed to export a community you don't coordinate."],
  ] as const)('lets %s', async (_label, v, kind, ids, message) => {
    await expect(first(v, kind, ids ? [...ids] : undefined)).rejects.toMatchObject({ message, extensions: { code: 'FORBIDDEN' } });
  });
});
