// fast-check arbitraries generated from the GraphQL schema itself: for any field, variables
// for its arguments (well-typed most of the time, hostile often: edge values, wrong kinds,
// NUL bytes, far dates, ids of the wrong type or of nothing) and a small selection set.
// New fields and inputs are fuzzed without anyone writing a generator for them.
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';

/** Known-good global ids by type name (Need, Claim, Community, User…), to aim the fuzz at real rows. */
export type IdPools = Record<string, string[]>;

const uuid = fc.uuid();
const b64 = (s: string) => Buffer.from(s).toString('base64');

export function idArbitrary(pools: IdPools): fc.Arbitrary<string> {
  const known = Object.values(pools).flat();
  const typeNames = Object.keys(pools).length ? Object.keys(pools) : ['Need'];
  return fc.oneof(
    { weight: 5, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant(b64('Need:x')) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...typeNames, 'Nope', '__Type', ''), uuid).map(([t, u]) => b64(`${t}:${u}`)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...typeNames), fc.string({ maxLength: 40 })).map(([t, s]) => b64(`${t}:${s}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '%%%', 'TmVlZDo=', b64('Need:00000000-0000-0000-0000-000000000000'), 'x'.repeat(3_000), b64(`Need:${'\u0000'.repeat(4)}`)) },
  );
}

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'nul\u0000inside',
      '\uD800',
      "'; DROP TABLE \"Need\"; --",
      '%_\\',
      '${jndi:ldap://x}',
      '<script>alert(1)</script>',
      'x'.repeat(5_000),
      '+972-50-123-4567',
      'a@b.org',
      '\u202Eevil',
      '2026-01-01T00:00:00Z',
    ),
  },
);

const dateTime = fc.oneof(
  { weight: 4, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'yesterday', '', '2026-01-01') },
  { weight: 1, arbitrary: hostileString },
);

const int = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 600 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2147483647, -2147483648, 2147483648, 1e15, 0.5) },
);
const float = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -200, max: 200, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 90.000001, -180.5, 1e308, -1e308, 5e-324) },
);
const wrongKind = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 10 }), fc.constant({}), fc.constant([]), fc.constant([[[]]]));

function leaf(name: string, pools: IdPools): fc.Arbitrary<unknown> {
  switch (name) {
    case 'ID':
      return idArbitrary(pools);
    case 'String':
      return hostileString;
    case 'Int':
      return int;
    case 'Float':
      return float;
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return dateTime;
    default:
      return fc.oneof(hostileString, fc.integer(), fc.jsonValue({ maxDepth: 2 }));
  }
}

/** A value for an input type; `undefined` means "leave the field out". */
export function inputArbitrary(type: GraphQLInputType, pools: IdPools, depth = 0): fc.Arbitrary<unknown> {
  const required = isNonNullType(type);
  const inner = required ? type.ofType : type;
  let value: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    value = fc.array(inputArbitrary(inner.ofType as GraphQLInputType, pools, depth + 1), { maxLength: depth > 1 ? 2 : 6 });
  } else if (isEnumType(inner)) {
    const values = inner.getValues().map((v) => v.name);
    value = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.constantFrom('NOPE', values[0]!.toLowerCase(), '') });
  } else if (isInputObjectType(inner)) {
    if (depth > 3) return fc.constant(required ? {} : undefined);
    const fields = Object.values(inner.getFields());
    value = fc.record(Object.fromEntries(fields.map((f) => [f.name, inputArbitrary(f.type, pools, depth + 1)]))).map((r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
    );
  } else {
    value = leaf(getNamedType(inner).name, pools);
  }
  // Mostly well-typed; sometimes the wrong kind of value altogether.
  const typed = fc.oneof({ weight: 12, arbitrary: value }, { weight: 1, arbitrary: wrongKind });
  if (required) return typed;
  return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constant(undefined) });
}

export function variablesArbitrary(field: GraphQLField<unknown, unknown>, pools: IdPools): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(Object.fromEntries(field.args.map((a) => [a.name, inputArbitrary(a.type, pools)])))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

/** `__typename` and the argument-free leaves of the type, one level down for objects. */
export function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isAbstractType(named)) return '{ __typename }';
  if (!isObjectType(named) || depth > 1) return '{ __typename }';
  const parts = ['__typename'];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (depth < 1) parts.push(`${f.name} ${selectionFor(f.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** The operation for one root field, with every argument passed as a variable. */
export function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selectionFor(field.type)} }`;
}
