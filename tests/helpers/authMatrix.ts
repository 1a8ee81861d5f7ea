// Pieces of the authorisation matrix (tests/security/authorization-matrix.test.ts), generated
// from the schema: which fields and types are restricted (their Pothos auth scope is anything
// but `{ public: true }`), a selection set per root field that reaches every restricted field
// it can (with every leaf on the way, so that private values copied into public fields are
// seen too), and a walker that records what a response actually disclosed.
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

type Options = { authScopes?: unknown };
const scopesOf = (x: { extensions?: unknown }) => ((x.extensions as { pothosOptions?: Options } | undefined)?.pothosOptions ?? {}).authScopes;
const isPublicScope = (s: unknown) => !!s && typeof s === 'object' && Object.keys(s).length === 1 && (s as Record<string, unknown>).public === true;

export function isRestrictedType(t: GraphQLNamedType): boolean {
  const s = scopesOf(t);
  return s !== undefined && !isPublicScope(s);
}

export function isRestrictedField(f: GraphQLField<unknown, unknown>): boolean {
  const s = scopesOf(f);
  return s !== undefined && !isPublicScope(s);
}

const needsArgs = (f: GraphQLField<unknown, unknown>) => f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/**
 * What a restricted thing is called in the matrix: a field of a restricted type goes with its
 * type (`type:Claim`), a restricted field of a public type by its name (`field:privateDetails`).
 * Public things have no key.
 */
export function restrictionKey(t: GraphQLObjectType, f: GraphQLField<unknown, unknown>): string | undefined {
  if (isRestrictedType(t)) return `type:${t.name}`;
  if (isRestrictedField(f)) return `field:${f.name}`;
  return undefined;
}

type Target = string | 'public';

function objectTypes(schema: GraphQLSchema, type: GraphQLNamedType): GraphQLObjectType[] {
  return isAbstractType(type) ? [...schema.getPossibleTypes(type)] : isObjectType(type) ? [type] : [];
}

/** Whether `target` can be reached from `type` within `depth` levels without revisiting a type. */
function reaches(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, path: Set<string>, target: Target, memo: Map<string, boolean>): boolean {
  if (target === 'public') return true;
  const key = `${target}|${type.name}|${depth}|${[...path].sort().join(',')}`;
  if (memo.has(key)) return memo.get(key)!;
  let found = false;
  if (depth >= 0 && !path.has(type.name)) {
    for (const t of objectTypes(schema, type)) {
      for (const f of Object.values(t.getFields())) {
        if (needsArgs(f)) continue;
        const k = restrictionKey(t, f);
        if (k === target) found = true;
        else if (!k) {
          const inner = getNamedType(f.type);
          if (!isLeafType(inner) && depth > 0 && reaches(schema, inner, depth - 1, new Set([...path, t.name]), target, memo)) found = true;
        }
        if (found) break;
      }
      if (found) break;
    }
  }
  memo.set(key, found);
  return found;
}

/** Every restriction key reachable from `type` within `depth`. */
export function reachableRestrictions(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, path = new Set<string>(), out = new Set<string>()): Set<string> {
  if (depth < 0 || path.has(type.name)) return out;
  for (const t of objectTypes(schema, type)) {
    for (const f of Object.values(t.getFields())) {
      if (needsArgs(f)) continue;
      const key = restrictionKey(t, f);
      if (key) out.add(key);
      const inner = getNamedType(f.type);
      if (!isLeafType(inner) && depth > 0) reachableRestrictions(schema, inner, depth - 1, new Set([...path, t.name]), out);
    }
  }
  return out;
}

/**
 * The selection for a value of `type` aimed at one `target`: `__typename`, every public leaf on
 * the way, and the fields that are the target or lead to it. With target 'public', every public
 * leaf and object (nothing restricted), to see private values copied into public fields. One
 * target per document, so that a refused field (null propagating up to its nearest nullable
 * parent) cannot hide another that the caller may see.
 */
export function matrixSelection(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, target: Target, path = new Set<string>(), memo = new Map<string, boolean>()): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    const parts = objectTypes(schema, type)
      .filter((t) => !path.has(t.name) && reaches(schema, t, depth, path, target, memo))
      .map((t) => `... on ${t.name} ${matrixSelection(schema, t, depth, target, path, memo)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
  const t = type as GraphQLObjectType;
  const inner = new Set([...path, t.name]);
  const parts = ['__typename'];
  if (target.startsWith('inside:')) {
    // Below the target: everything it holds (leaves, and objects a level or two down), but no
    // other field-level restriction (a refusal there would null the target's own data).
    for (const f of Object.values(t.getFields())) {
      if (needsArgs(f)) continue;
      const key = restrictionKey(t, f);
      const named = getNamedType(f.type);
      // A field decided per object (a scope function) that may not be null would carry its
      // refusal up and blank the very object under test: left out here, probed as its own target.
      const perObject = typeof scopesOf(f) === 'function' && isNonNullType(f.type);
      if (perObject) continue;
      if (isLeafType(named)) parts.push(f.name);
      else if (depth > 0 && !inner.has(named.name) && !(key?.startsWith('field:') && `inside:${key}` !== target)) {
        parts.push(`${f.name}${f.args.some((a) => a.name === 'first') ? '(first: 5)' : ''} ${matrixSelection(schema, named, Math.min(depth - 1, 2), target, inner, memo)}`);
      }
    }
    return `{ ${parts.join(' ')} }`;
  }
  for (const f of Object.values(t.getFields())) {
    if (needsArgs(f)) continue;
    const key = restrictionKey(t, f);
    const named = getNamedType(f.type);
    if (key && key !== target) continue;
    if (isLeafType(named)) {
      parts.push(f.name);
      continue;
    }
    if (depth <= 0 || inner.has(named.name)) continue;
    const args = f.args.some((a) => a.name === 'first') ? '(first: 5)' : '';
    const follow = target === 'public' ? !isRestrictedType(named) : key === target || reaches(schema, named, depth - 1, inner, target, memo);
    if (follow) parts.push(`${f.name}${args} ${matrixSelection(schema, named, depth - 1, key === target ? `inside:${target}` : target, inner, memo)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** Values for a field's arguments: candidates per argument (by name, else by type), zipped into variants. */
export function argumentVariants(field: GraphQLField<unknown, unknown>, pick: (argName: string, type: GraphQLInputType) => unknown[] | undefined): Record<string, unknown>[] {
  const lists = field.args.map((a) => {
    const chosen = pick(a.name, a.type);
    if (chosen) return chosen;
    if (!isNonNullType(a.type)) return [undefined];
    return [defaultValue(a.type, pick)];
  });
  const n = Math.max(1, ...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(field.args.map((a, k) => [a.name, lists[k]![i % lists[k]!.length]]).filter(([, v]) => v !== undefined)),
  );
}

function defaultValue(type: GraphQLInputType, pick: (argName: string, type: GraphQLInputType) => unknown[] | undefined): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [defaultValue(inner.ofType as GraphQLInputType, pick)];
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(inner.getFields())) {
      const chosen = pick(f.name, f.type);
      if (chosen) out[f.name] = chosen[0];
      else if (isNonNullType(f.type)) out[f.name] = defaultValue(f.type, pick);
    }
    return out;
  }
  switch (getNamedType(inner).name) {
    case 'Int':
      return 5;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    default:
      return 'matrix';
  }
}

export function operationWithVariables(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>, selection: string): string {
  const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

/** Keys of what a response disclosed: `field@parentId` for restricted fields with a value, `Type@id` for restricted objects, `root@id` for ids under a scoped root. */
export function disclosures(data: unknown, restrictedFieldNames: Set<string>, scopedRoots: Set<string>, watchedIds: Set<string>): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown, parentId: string | undefined, roots: string[]) => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v, parentId, roots);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    const id = typeof obj.id === 'string' ? obj.id : undefined;
    if (id && watchedIds.has(id)) {
      if (typeof obj.__typename === 'string') out.add(`${obj.__typename}@${id}`);
      for (const r of roots) out.add(`${r}@${id}`);
    }
    for (const [k, v] of Object.entries(obj)) {
      if (v !== null && v !== undefined && restrictedFieldNames.has(k) && (id ?? parentId)) out.add(`${k}@${id ?? parentId}`);
      walk(v, id ?? parentId, scopedRoots.has(k) && v !== null ? [...roots, k] : roots);
    }
  };
  walk(data, undefined, []);
  return out;
}
