// One table of filters over one set of needs: for each, the in-memory predicate and the Prisma
// `where` (evaluated here in memory, for the operators boardWhere uses) pick the same needs, and
// the ones the case expects.
import { describe, expect, it } from 'vitest';
import { boardWhere, matchesBoard, LIVE_STATUSES, type BoardFilter, type BoardRow } from './boardFilter.ts';

const need = (id: string, over: Partial<BoardRow>): BoardRow => ({
  id,
  communityId: 'c1',
  category: 'FOOD',
  urgency: 'NORMAL',
  status: 'OPEN',
  publicLat: 31.77,
  publicLng: 35.21,
  title: 'Groceries for a family',
  description: '',
  onBoard: true,
  ...over,
});

const rows: BoardRow[] = [
  need('a', {}),
  need('b', { communityId: 'c2', category: 'MEDICINE', urgency: 'CRITICAL', status: 'CLAIMED', title: 'Insulin pickup' }),
  need('c', { category: 'TRANSPORT', urgency: 'HIGH', status: 'IN_PROGRESS', publicLat: 32.08, publicLng: 34.78, title: 'Ride to Tel Aviv', description: 'Bring a CHILD SEAT' }),
  need('d', { status: 'DONE', title: 'Old request' }),
  need('e', { status: 'CANCELLED', communityId: 'c2', publicLat: 31.5, publicLng: 35.0 }),
  need('f', { onBoard: false, title: 'Second shift: groceries' }),
];

const box = { minLat: 31.5, maxLat: 31.77, minLng: 35.0, maxLng: 35.21 };

const cases: [name: string, filter: BoardFilter, expected: string][] = [
  ['no criteria', {}, 'abcdef'],
  ['every criterion null', { needIds: null, communityIds: null, categories: null, urgencies: null, statuses: null, bbox: null, text: null, onBoard: null }, 'abcdef'],
  ['empty lists and blank text ask for nothing', { needIds: [], communityIds: [], categories: [], urgencies: [], statuses: [], text: '   ' }, 'abcdef'],
  ['needIds', { needIds: ['b', 'd', 'zz'] }, 'bd'],
  ['communityIds', { communityIds: ['c2'] }, 'be'],
  ['categories', { categories: ['MEDICINE', 'TRANSPORT'] }, 'bc'],
  ['urgencies', { urgencies: ['CRITICAL', 'HIGH'] }, 'bc'],
  ['statuses', { statuses: ['DONE', 'CANCELLED'] }, 'de'],
  ['the live statuses', { statuses: LIVE_STATUSES }, 'abcf'],
  ['bbox, edges included', { bbox: box }, 'abdef'],
  ['bbox with nothing in it', { bbox: { minLat: 0, maxLat: 1, minLng: 0, maxLng: 1 } }, ''],
  ['text in the title, any case', { text: 'GROCERIES' }, 'aef'],
  ['text in the description, trimmed', { text: '  child seat ' }, 'c'],
  ['text found nowhere', { text: 'piano' }, ''],
  ['onBoard', { onBoard: true }, 'abcde'],
  ['onBoard false asks for nothing', { onBoard: false }, 'abcdef'],
  ['the board as it loads', { statuses: LIVE_STATUSES, onBoard: true }, 'abc'],
  ['several criteria together', { communityIds: ['c1'], statuses: LIVE_STATUSES, text: 'groceries', onBoard: true }, 'a'],
  ['criteria that exclude each other', { categories: ['MEDICINE'], communityIds: ['c1'] }, ''],
];

/** Prisma's `where` on one row, for the operators boardWhere writes: equality, in, gte/lte, contains (insensitive), OR. */
function evaluate(where: Record<string, unknown>, row: BoardRow): boolean {
  return Object.entries(where).every(([key, condition]) => {
    if (key === 'OR') return (condition as Record<string, unknown>[]).some((w) => evaluate(w, row));
    const value = row[key as keyof BoardRow];
    if (typeof condition !== 'object' || condition === null) return value === condition;
    return Object.entries(condition).every(([op, operand]) => {
      switch (op) {
        case 'in':
          return (operand as unknown[]).includes(value);
        case 'gte':
          return (value as number) >= (operand as number);
        case 'lte':
          return (value as number) <= (operand as number);
        case 'contains': {
          const insensitive = (condition as { mode?: string }).mode === 'insensitive';
          const [v, o] = insensitive ? [String(value).toLowerCase(), String(operand).toLowerCase()] : [String(value), String(operand)];
          return v.includes(o);
        }
        case 'mode':
          return true;
        default:
          throw new Error(`The evaluator does not know the operator ${op}: teach it, or the table proves nothing about it.`);
      }
    });
  });
}

describe('the board filter', () => {
  it.each(cases)('%s: the predicate and the where pick the same needs', (_name, filter, expected) => {
    const byPredicate = rows.filter((r) => matchesBoard(r, filter)).map((r) => r.id).join('');
    const byWhere = rows.filter((r) => evaluate(boardWhere(filter) as Record<string, unknown>, r)).map((r) => r.id).join('');
    expect(byPredicate).toBe(expected);
    expect(byWhere).toBe(expected);
  });

  it('asks the database for nothing more than the criteria given', () => {
    expect(boardWhere({})).toEqual({});
    expect(boardWhere({ statuses: ['OPEN'], text: ' x ', onBoard: true })).toEqual({
      status: { in: ['OPEN'] },
      OR: [{ title: { contains: 'x', mode: 'insensitive' } }, { description: { contains: 'x', mode: 'insensitive' } }],
      onBoard: true,
    });
  });
});
