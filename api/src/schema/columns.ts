// The columns a GraphQL selection reads, so that a query returning many rows loads only those
// (Prisma `omit`): the board asks for 7 of a need's 28 columns, and every column costs the
// driver, Prisma's row mapping and the garbage collector on each of up to 1,000 rows.
//
// A `t.expose*` field reads its own column. Any other field of a trimmed type says what it reads
// with `extensions: reads(...)` (typed per model: `readsNeed` in needs.ts). A selected field that
// says nothing makes the query load whole rows: a forgotten declaration costs speed, never data.
// (Pothos' select mode does this per field, but reloads a row for every object that did not come
// from a planned query — mutation payloads, events delivered to subscribers — a query each.)
import { Kind, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Field extensions: the columns of its row this field's resolver or auth scopes read. */
export const reads = (...columns: string[]) => ({ readsColumns: columns });

type ColumnExtensions = { pothosExposedField?: string; readsColumns?: readonly string[] };

/** The columns a field of `type` reads, or undefined when it does not say. */
export function columnsReadBy(type: GraphQLObjectType, fieldName: string): readonly string[] | undefined {
  const ext = (type.getFields()[fieldName]?.extensions ?? {}) as ColumnExtensions;
  return ext.readsColumns ?? (ext.pothosExposedField ? [ext.pothosExposedField] : undefined);
}

/** The fields of a selection set, through inline fragments and fragment spreads (whatever their type condition: a superset is safe). */
function fieldsOf(info: GraphQLResolveInfo, set: SelectionSetNode, out: { name: string; set?: SelectionSetNode }[] = []) {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push({ name: s.name.value, set: s.selectionSet });
    else if (s.kind === Kind.INLINE_FRAGMENT) fieldsOf(info, s.selectionSet, out);
    else {
      const fragment = info.fragments[s.name.value];
      if (fragment) fieldsOf(info, fragment.selectionSet, out);
    }
  }
  return out;
}

/**
 * Prisma's `omit` for rows of `type` found at `path` beneath the field `info` resolves (e.g.
 * `['edges', 'node']` for a connection, `[]` for a list): the `columns` that no selected field
 * reads, less `keep` (what the resolver itself or the cursor needs). Undefined — whole rows —
 * when a selected field does not say what it reads.
 */
export function omitUnread<C extends string>(info: GraphQLResolveInfo, path: readonly string[], type: GraphQLObjectType, columns: readonly C[], keep: readonly C[]): Partial<Record<C, true>> | undefined {
  let sets = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const step of path) sets = sets.flatMap((set) => fieldsOf(info, set).flatMap((f) => (f.name === step && f.set ? [f.set] : [])));
  const read = new Set<string>(keep);
  for (const set of sets) {
    for (const { name } of fieldsOf(info, set)) {
      if (name === '__typename') continue;
      const cols = columnsReadBy(type, name);
      if (!cols) return undefined;
      for (const c of cols) read.add(c);
    }
  }
  const omit: Partial<Record<C, true>> = {};
  for (const c of columns) if (!read.has(c)) omit[c] = true;
  return omit;
}
