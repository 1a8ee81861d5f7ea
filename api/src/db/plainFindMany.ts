// A Prisma `findMany` of plain columns, said as one SQL statement and sent straight through the
// driver adapter. Prisma's client passes over every row it returns twice (its data map, then its
// typed values): on the board's 500 needs that was the largest cost of the query (bench:board).
// Only what reads back exactly as Prisma reads it: columns of text, numbers, booleans, enums,
// dates and lists of text (not other lists, decimals or JSON), a `where` of equalities, lists
// (`in`) and ranges of text, numbers, booleans and enums joined by AND, an `orderBy` of columns,
// a first page (`take`, no cursor). For anything else the SQL is null and the caller asks Prisma.
// tests/api/plainFindMany.test.ts holds the two to each other.
import type { ArgScalarType, ArgType } from '@prisma/driver-adapter-utils';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';

/** `plain`: read back as Prisma reads it; `date`: read as a Date (both adapters give ISO text); `filtered`: may be compared in a where. */
type Column = { name: string; argType: ArgType; plain: boolean; date: boolean; filtered: boolean };

const scalarTypes: Record<string, ArgScalarType> = { String: 'string', Int: 'int', Float: 'float', Boolean: 'boolean', DateTime: 'datetime' };
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Per model (no model maps its table or columns: their names are the model's), its scalar columns. */
const models = new Map<string, Map<string, Column>>();
function columnsOf(model: string): Map<string, Column> | undefined {
  let columns = models.get(model);
  if (columns) return columns;
  const fields = getDatamodel().datamodel.models[model]?.fields;
  if (!fields || !identifier.test(model)) return undefined;
  columns = new Map();
  for (const f of fields) {
    if (f.kind !== 'scalar' && f.kind !== 'enum') continue;
    const scalarType: ArgScalarType = f.kind === 'enum' ? 'enum' : (scalarTypes[f.type] ?? 'unknown');
    // Lists only of text; a date only read (Prisma sends a compared one typed, as text that differs by adapter).
    const plain = identifier.test(f.name) && scalarType !== 'unknown' && (!f.isList || scalarType === 'string');
    const date = scalarType === 'datetime';
    columns.set(f.name, { name: f.name, argType: { scalarType, arity: f.isList ? 'list' : 'scalar' }, plain, date, filtered: plain && !f.isList && !date });
  }
  models.set(model, columns);
  return columns;
}

export type FindManyArgs = {
  where?: object;
  orderBy?: object | readonly object[];
  take?: number;
  skip?: number;
  omit?: Record<string, boolean | undefined> | null;
  [other: string]: unknown;
};

export type PlainStatement = { sql: string; args: unknown[]; argTypes: ArgType[] };
/** The statement, and the positions of the columns it reads that are dates (to be read as Date). */
export type PlainRead = { statement: PlainStatement; dates: number[] };

const ranges: Record<string, string> = { equals: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const isValue = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * The statement of `findMany(args)` on `model`, or null when it is not one this file can say
 * exactly: another key than where/orderBy/take/skip 0/omit, or in them anything but the above.
 * The columns are those `omit` leaves (every plain column when it omits none of the others).
 */
export function plainFindMany(model: string, args: FindManyArgs): PlainRead | null {
  const columns = columnsOf(model);
  if (!columns) return null;
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (!['where', 'orderBy', 'take', 'skip', 'omit'].includes(key)) return null;
  }
  if (args.skip !== undefined && args.skip !== 0) return null;
  if (args.take === undefined || !Number.isSafeInteger(args.take) || args.take <= 0) return null;
  const selected: string[] = [];
  const dates: number[] = [];
  for (const c of columns.values()) {
    if (args.omit?.[c.name]) continue;
    if (!c.plain) return null;
    if (c.date) dates.push(selected.length);
    selected.push(c.name);
  }
  const params: { args: unknown[]; argTypes: ArgType[] } = { args: [], argTypes: [] };
  const param = (c: Column, value: unknown) => {
    params.args.push(value);
    params.argTypes.push(c.argType);
    return `$${params.args.length}`;
  };
  const conditions: string[] = [];
  if (args.where && !whereSql(columns, args.where, conditions, param)) return null;
  const order: string[] = [];
  for (const o of [args.orderBy ?? []].flat() as object[]) {
    const entries = Object.entries(o);
    if (entries.length !== 1) return null;
    const [name, direction] = entries[0]!;
    const c = columns.get(name);
    if (!c?.plain || c.argType.arity !== 'scalar' || (direction !== 'asc' && direction !== 'desc')) return null;
    order.push(`"${name}" ${direction.toUpperCase()}`);
  }
  const sql =
    `SELECT ${selected.map((c) => `"${c}"`).join(', ')} FROM "public"."${model}"` +
    (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
    (order.length ? ` ORDER BY ${order.join(', ')}` : '') +
    ` LIMIT ${args.take}`;
  return { statement: { sql, ...params }, dates };
}

/** Adds the conditions of `where` to `out`; false when one of them is not an equality, a list or a range on a plain column. */
function whereSql(columns: Map<string, Column>, where: object, out: string[], param: (c: Column, v: unknown) => string): boolean {
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND') {
      for (const w of [value].flat()) if (!whereSql(columns, w as object, out, param)) return false;
      continue;
    }
    const c = columns.get(key);
    if (!c?.filtered) return false;
    const column = `"${key}"`;
    if (value === null) out.push(`${column} IS NULL`);
    else if (isValue(value)) out.push(`${column} = ${param(c, value)}`);
    else if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [op, v] of Object.entries(value)) {
        if (v === undefined) continue;
        if (op === 'in' && Array.isArray(v) && v.every(isValue)) out.push(v.length ? `${column} IN (${v.map((x) => param(c, x)).join(', ')})` : 'FALSE');
        else if (ranges[op] && isValue(v)) out.push(`${column} ${ranges[op]} ${param(c, v)}`);
        else return false;
      }
    } else return false;
  }
  return true;
}
