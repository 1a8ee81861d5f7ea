// Orders of lists, total. A list ordered by a column two rows share (two needs created in the
// same millisecond, the shifts of a series, two volunteers of one name) comes back in whatever
// order the rows lie in their table, and a row moves when it is rewritten: when only its
// private columns change (an exact point, a phone), or a volunteer's home. Such an order would
// tell a viewer without access that something private changed, so every list ends on the id
// (tests/security/non-interference.test.ts rewrites private columns and compares answers).
import type { Prisma } from '../generated/prisma/client.ts';

/** Needs, oldest first. */
export const needsOldestFirst = [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.NeedOrderByWithRelationInput[];

/** Needs, most urgent first, then oldest first. */
export const needsUrgentFirst = [{ urgency: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.NeedOrderByWithRelationInput[];

/** For an in-memory sort: after its own criteria, by id. */
export const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
