// The board filter, written once: each criterion's in-memory test lives in shared/boardFilter.ts
// (used by the event stream and by the web's live board) and its SQL (a Prisma `where`, for the
// board's queries) here, key by key, so the two cannot drift apart. boardFilter.test.ts checks them
// against each other on one table.
import type { Need, Prisma } from '../generated/prisma/client.ts';
import type { NeedCategory, NeedStatus, Urgency } from '../generated/prisma/enums.ts';
import { asks, BOARD_FILTER_KEYS, LIST_COLUMNS, type BoardFilter as SharedFilter } from '../shared/boardFilter.ts';

export { LIVE_STATUSES, matchesBoard } from '../shared/boardFilter.ts';
export type BoardFilter = SharedFilter<NeedCategory, Urgency, NeedStatus>;
/** The columns of a need the filter reads. */
export type BoardRow = Pick<Need, 'id' | 'communityId' | 'category' | 'urgency' | 'status' | 'publicLat' | 'publicLng' | 'title' | 'description' | 'onBoard'>;

const inList = (column: string) => (values: readonly string[]) => ({ [column]: { in: [...values] } }) as Prisma.NeedWhereInput;

const wheres: { [K in keyof BoardFilter]-?: (value: NonNullable<BoardFilter[K]>) => Prisma.NeedWhereInput } = {
  needIds: inList(LIST_COLUMNS.needIds),
  communityIds: inList(LIST_COLUMNS.communityIds),
  categories: inList(LIST_COLUMNS.categories),
  urgencies: inList(LIST_COLUMNS.urgencies),
  statuses: inList(LIST_COLUMNS.statuses),
  bbox: (b) => ({ publicLat: { gte: b.minLat, lte: b.maxLat }, publicLng: { gte: b.minLng, lte: b.maxLng } }),
  text: (text) => ({
    OR: [{ title: { contains: text.trim(), mode: 'insensitive' } }, { description: { contains: text.trim(), mode: 'insensitive' } }],
  }),
  onBoard: () => ({ onBoard: true }),
};

/** The filter as a Prisma `where` on Need. */
export function boardWhere(filter: BoardFilter): Prisma.NeedWhereInput {
  const where: Prisma.NeedWhereInput = {};
  for (const key of BOARD_FILTER_KEYS) if (asks(filter, key)) Object.assign(where, (wheres[key] as (v: unknown) => Prisma.NeedWhereInput)(filter[key]));
  return where;
}
