import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphQLObjectType, isObjectType, parse } from 'graphql';
import { schema } from '../../api/src/schema/index.ts';
import { printedSchema } from '../../api/src/schema/print.ts';
import { columnsReadBy } from '../../api/src/schema/columns.ts';
import { selectsOnlyPublicFields, typesWithIsTypeOf } from '../../api/src/graphql/jit.ts';
import { builder } from '../../api/src/schema/builder.ts';
import type { Context } from '../../api/src/context.ts';

describe('the schema', () => {
  it('matches the checked-in api/schema.graphql (run `pnpm schema:print` after a change)', () => {
    const committed = readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8');
    expect(printedSchema()).toBe(committed);
  });

  it('gives every type and every field an explicit auth scope', () => {
    // Relay's generated connection, edge and page-info types carry no data of their own:
    // the field that returns them is scoped.
    const structural = (name: string) => /(Connection|Edge)$/.test(name) || name === 'PageInfo';
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || structural(type.name)) continue;
      const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
      const typeOptions = (type as GraphQLObjectType).extensions?.pothosOptions as { authScopes?: unknown } | undefined;
      if (!root && !typeOptions?.authScopes) missing.push(`type ${type.name}`);
      for (const field of Object.values(type.getFields())) {
        if (field.name === 'id' && !root) continue; // global ids are public by design
        const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
        if (!options?.authScopes) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('says, for every field of Need, which columns it reads (else lists of needs load whole rows)', () => {
    const need = schema.getType('Need') as GraphQLObjectType;
    const silent = Object.keys(need.getFields()).filter((f) => !columnsReadBy(need, f));
    expect(silent).toEqual([]);
  });

  it("resolves a need's global id without a promise (one per row of a list adds up; schema/syncNodeIds.ts)", () => {
    const id = (schema.getType('Need') as GraphQLObjectType).getFields().id!;
    const value = id.resolve!({ id: '0190a0a0-0000-7000-8000-000000000000' }, {}, { viewer: null }, {} as never);
    expect(value).toBe(Buffer.from('Need:0190a0a0-0000-7000-8000-000000000000').toString('base64'));
  });

  it('runs no scope check on a public column: it has no resolver at all, while scoped fields keep their check (schema/publicScopes.ts)', () => {
    const need = (schema.getType('Need') as GraphQLObjectType).getFields();
    for (const column of ['title', 'category', 'urgency', 'status', 'publicLat', 'publicLng']) expect(need[column]!.resolve, column).toBeUndefined();
    expect(need.privateDetails!.resolve).toBeTypeOf('function');
    const privateDetails = (schema.getType('NeedPrivateDetails') as GraphQLObjectType).getFields();
    for (const column of ['address', 'requesterPhone', 'lat']) expect(privateDetails[column]!.resolve, column).toBeTypeOf('function');
  });

  it('has a `public` scope that is the constant true, whoever asks (what leaving its check out rests on)', () => {
    const loaders = builder.options.scopeAuth!.authScopes as (ctx: Context) => { public: unknown };
    expect(loaders({ viewer: null } as unknown as Context).public).toBe(true);
    expect(loaders({ viewer: { id: 'u1', isAdmin: false } } as unknown as Context).public).toBe(true);
  });

  it("compiles only documents of public fields (graphql/jit.ts): the board's query, not one that selects anything scoped", () => {
    const only = (source: string) => selectsOnlyPublicFields(schema, parse(source));
    expect(only(`query($bbox: BBoxInput!, $first: Int!) { needs(filter: { bbox: $bbox }, first: $first) { edges { cursor node { id title category urgency status publicLat publicLng } } pageInfo { hasNextPage } } }`)).toBe(true);
    expect(only(`{ needs(first: 5) { edges { node { id privateDetails { address } } } } }`)).toBe(false);
    expect(only(`{ needs(first: 5) { edges { node { ...F } } } } fragment F on Need { title privateDetails { requesterPhone } }`)).toBe(false);
    expect(only(`{ me { id } }`)).toBe(false);
  });

  it('has no isTypeOf, which compiled queries would call without the context (graphql/jit.ts)', () => {
    expect(typesWithIsTypeOf(schema)).toEqual([]);
  });
});
