// The board filter, written once: each criterion says how it reads in SQL (a Prisma `where`, for the
// board's queries) and in memory (a predicate, for events fanned out to subscribers), side by side,
// so the two cannot drift apart. boardFilter.test.ts checks them against each other on one table.
import type { BBox } from './geo.ts';
import type { Need, Prisma } from '../generated/prisma/client.ts';
import type { NeedCategory, NeedStatus, Urgency } from '../generated/prisma/enums.ts';

/** What a filter may ask for; an absent (null) criterion, an empty list or blank text asks for nothing. */
export type BoardFilter = {
  needIds?: readonly string[] | null;
  communityIds?: readonly string[] | null;
  categories?: readonly NeedCategory[] | null;
  urgencies?: readonly Urgency[] | null;
  statuses?: readonly NeedStatus[] | null;
  /** The need's public (approximate) location is in the box, edges included. */
  bbox?: BBox | null;
  /** In the title or the description, ignoring case and surrounding spaces. */
  text?: string | null;
  /** True: only needs shown on the board (not the later shifts of a series). */
  onBoard?: boolean | null;
};

/** The columns of a need the filter reads. */
export type BoardRow = Pick<Need, 'id' | 'communityId' | 'category' | 'urgency' | 'status' | 'publicLat' | 'publicLng' | 'title' | 'description' | 'onBoard'>;

/** The statuses the board shows when a filter names none. */
export const LIVE_STATUSES: readonly NeedStatus[] = ['OPEN', 'CLAIMED', 'IN_PROGRESS'];

type Criterion<V> = {
  /** Whether this value asks for anything; always, when absent. */
  active?: (value: V) => boolean;
  where: (value: V) => Prisma.NeedWhereInput;
  test: (row: BoardRow, value: V) => boolean;
};

type ListColumn = 'id' | 'communityId' | 'category' | 'urgency' | 'status';

const oneOf = <C extends ListColumn>(column: C): Criterion<readonly BoardRow[C][]> => ({
  active: (values) => values.length > 0,
  where: (values) => ({ [column]: { in: [...values] } }) as Prisma.NeedWhereInput,
  test: (row, values) => values.includes(row[column]),
});

const criteria: { [K in keyof BoardFilter]-?: Criterion<NonNullable<BoardFilter[K]>> } = {
  needIds: oneOf('id'),
  communityIds: oneOf('communityId'),
  categories: oneOf('category'),
  urgencies: oneOf('urgency'),
  statuses: oneOf('status'),
  bbox: {
    where: (b) => ({ publicLat: { gte: b.minLat, lte: b.maxLat }, publicLng: { gte: b.minLng, lte: b.maxLng } }),
    test: (n, b) => n.publicLat >= b.minLat && n.publicLat <= b.maxLat && n.publicLng >= b.minLng && n.publicLng <= b.maxLng,
  },
  text: {
    active: (text) => text.trim() !== '',
    where: (text) => ({
      OR: [{ title: { contains: text.trim(), mode: 'insensitive' } }, { description: { contains: text.trim(), mode: 'insensitive' } }],
    }),
    test: (n, text) => {
      const wanted = text.trim().toLowerCase();
      return n.title.toLowerCase().includes(wanted) || n.description.toLowerCase().includes(wanted);
    },
  },
  onBoard: {
    active: (only) => only,
    where: () => ({ onBoard: true }),
    test: (n) => n.onBoard,
  },
};

const keys = Object.keys(criteria) as (keyof BoardFilter)[];

/** The criterion `key` when `filter` asks for something by it. (A plain loop, no allocation: run per event and subscriber.) */
function asked(filter: BoardFilter, key: keyof BoardFilter): Criterion<unknown> | undefined {
  const value = filter[key];
  const criterion = criteria[key] as Criterion<unknown>;
  return value != null && (criterion.active?.(value) ?? true) ? criterion : undefined;
}

/** The filter as a Prisma `where` on Need. */
export function boardWhere(filter: BoardFilter): Prisma.NeedWhereInput {
  const where: Prisma.NeedWhereInput = {};
  for (const key of keys) Object.assign(where, asked(filter, key)?.where(filter[key]));
  return where;
}

/** The filter as a predicate on a need (or on what an event says of its need). */
export function matchesBoard(row: BoardRow, filter: BoardFilter): boolean {
  for (const key of keys) if (asked(filter, key)?.test(row, filter[key]) === false) return false;
  return true;
}
