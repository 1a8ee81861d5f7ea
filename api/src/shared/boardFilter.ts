// The board filter's in-memory side, shared by the API (events fanned out to subscribers) and the
// web app (needs arriving on the live board; it imports this as
// @mutual-aid/api/shared/boardFilter.ts). The API's SQL side (domain/boardFilter.ts) is written
// beside each test below, criterion by criterion, and a table checks the two against each other.
import type { BBox } from './geo.ts';

/** What a filter may ask for; an absent (null) criterion, an empty list or blank text asks for nothing. */
export type BoardFilter<Category extends string = string, Urgency extends string = string, Status extends string = string> = {
  needIds?: readonly string[] | null;
  communityIds?: readonly string[] | null;
  categories?: readonly Category[] | null;
  urgencies?: readonly Urgency[] | null;
  statuses?: readonly Status[] | null;
  /** The need's public (approximate) location is in the box, edges included. */
  bbox?: BBox | null;
  /** In the title or the description, ignoring case and surrounding spaces. */
  text?: string | null;
  /** True: only needs shown on the board (not the later shifts of a series). */
  onBoard?: boolean | null;
};

/** What the filter reads of a need. */
export type BoardRow = {
  id: string;
  communityId: string;
  category: string;
  urgency: string;
  status: string;
  publicLat: number;
  publicLng: number;
  title: string;
  description: string;
  onBoard: boolean;
};

/** The statuses the board shows when a filter names none. */
export const LIVE_STATUSES = ['OPEN', 'CLAIMED', 'IN_PROGRESS'] as const;

export type CriterionTest<V> = {
  /** Whether this value asks for anything; always, when absent. */
  active?: (value: V) => boolean;
  test: (row: BoardRow, value: V) => boolean;
};

type ListColumn = 'id' | 'communityId' | 'category' | 'urgency' | 'status';
const oneOf = (column: ListColumn): CriterionTest<readonly string[]> => ({
  active: (values) => values.length > 0,
  test: (row, values) => values.includes(row[column]),
});

/** Each criterion's key, the column a list criterion reads, and its test. */
export const LIST_COLUMNS = { needIds: 'id', communityIds: 'communityId', categories: 'category', urgencies: 'urgency', statuses: 'status' } as const;

export const boardTests: { [K in keyof BoardFilter]-?: CriterionTest<NonNullable<BoardFilter[K]>> } = {
  needIds: oneOf(LIST_COLUMNS.needIds),
  communityIds: oneOf(LIST_COLUMNS.communityIds),
  categories: oneOf(LIST_COLUMNS.categories),
  urgencies: oneOf(LIST_COLUMNS.urgencies),
  statuses: oneOf(LIST_COLUMNS.statuses),
  bbox: { test: (n, b) => n.publicLat >= b.minLat && n.publicLat <= b.maxLat && n.publicLng >= b.minLng && n.publicLng <= b.maxLng },
  text: {
    active: (text) => text.trim() !== '',
    test: (n, text) => {
      const wanted = text.trim().toLowerCase();
      return n.title.toLowerCase().includes(wanted) || n.description.toLowerCase().includes(wanted);
    },
  },
  onBoard: { active: (only) => only, test: (n) => n.onBoard },
};

export const BOARD_FILTER_KEYS = Object.keys(boardTests) as (keyof BoardFilter)[];

/** Whether `filter` asks for something by `key` (a plain check, no allocation: run per event and subscriber). */
export function asks(filter: BoardFilter, key: keyof BoardFilter): boolean {
  const value = filter[key];
  return value != null && ((boardTests[key] as CriterionTest<unknown>).active?.(value) ?? true);
}

/** The filter as a predicate on a need (or on what an event says of its need). */
export function matchesBoard(row: BoardRow, filter: BoardFilter): boolean {
  for (const key of BOARD_FILTER_KEYS) if (asks(filter, key) && !(boardTests[key] as CriterionTest<unknown>).test(row, filter[key])) return false;
  return true;
}
