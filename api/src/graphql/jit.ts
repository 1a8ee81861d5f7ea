// Compiled queries (graphql-jit): a query document that runs again is compiled once into a
// function that walks its selection directly, in place of the executor's per-field work (a
// resolve info, a path, argument values and a completion step for every field of every row;
// the board's 500 needs × 7 fields). Resolvers, and so Pothos' scope checks, run as before.
//
// Only what graphql-jit serves as graphql 17 does is compiled; everything else runs on the
// executor as before:
// - queries only (mutations run serially with their own plugins; subscriptions have their own path);
// - variables only in the arguments of root fields: graphql-jit hands resolvers its plain
//   variables as `info.variableValues`, where graphql 17 (and Pothos' selection mapping, which
//   reads the arguments of nested fields and @skip/@include through it) expects
//   `{ sources, coerced }`. A root field's arguments are computed by graphql-jit itself.
// - a schema without isTypeOf: graphql-jit calls it without the context (scope-auth's
//   `runScopesOnType` is one, so no type here uses it; the schema test checks);
// - documents that select only public fields (no scope but `{ public: true }` on a field or its
//   type; Relay's connection plumbing has none): no viewer is refused anything in them, so
//   their answers carry no scope errors, and reading them writes nothing (reading private
//   details is what records an access, domain/privacy.ts). The board is one.
// An answer with errors (a bad argument, the database away) is the executor's, byte for byte.
// A document is compiled once it has run GRAPHQL_COMPILE_AFTER_RUNS times (config.ts; 0 turns
// compiling off): compiling costs tens of milliseconds for a deep document, which only a document
// that keeps running (a board) pays back, and which a client sending ever new
// documents must not be able to make the server spend on each. CI's PostgreSQL step runs the
// API, reliability and security suites with every query compiled on its first run (.ci/run), the
// README's test command with the default: both paths answer every suite.
import type { Plugin } from 'graphql-yoga';
import { Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { onlyPublic } from '../schema/publicScopes.ts';
import { everySelectedField, variablesBelowRoot } from '../events/sharedExecution.ts';

/** Types whose isTypeOf graphql-jit would call without the context. */
export function typesWithIsTypeOf(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => 'isTypeOf' in t && typeof t.isTypeOf === 'function')
    .map((t) => t.name);
}

type Scoped = { pothosOptions?: { authScopes?: unknown } };
const publicOrNone = (extensions: unknown) => {
  const scopes = (extensions as Scoped | undefined)?.pothosOptions?.authScopes;
  return scopes === undefined || onlyPublic(scopes);
};

/** Whether every field the document selects (in every operation and fragment) is public, on a public type. */
export const selectsOnlyPublicFields = (schema: GraphQLSchema, document: DocumentNode): boolean =>
  everySelectedField(schema, document, (parent, field) => publicOrNone(parent.extensions) && publicOrNone(field.extensions));

/** A query whose variables are used only as arguments of its root fields. */
export const compilable = (document: DocumentNode, operation: OperationDefinitionNode): boolean =>
  operation.operation === 'query' && variablesBelowRoot(document, operation).length === 0;

type Entry = { runs: number; compiled: CompiledQuery | null };

/** `afterRuns`: runs of a document before it is compiled; 0, never. */
export function useCompiledQueries(schema: GraphQLSchema, afterRuns: number): Plugin {
  if (afterRuns === 0) return {};
  const withIsTypeOf = typesWithIsTypeOf(schema);
  if (withIsTypeOf.length) throw new Error(`Compiled queries: graphql-jit calls isTypeOf without the context; types with one: ${withIsTypeOf.join(', ')}`);
  /** Per document (yoga's parse cache keeps one object per query text), per operation name. */
  const entries = new WeakMap<DocumentNode, Map<string, Entry>>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { document, operationName } = args as unknown as ExecutionArgs;
      let byName = entries.get(document);
      if (!byName) entries.set(document, (byName = new Map()));
      const key = operationName ?? '';
      let entry = byName.get(key);
      if (!entry) byName.set(key, (entry = { runs: 0, compiled: null }));
      if (++entry.runs === afterRuns) {
        const operation = document.definitions.find(
          (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
        );
        const result = operation && compilable(document, operation) && selectsOnlyPublicFields(schema, document) ? compileQuery(schema, document, operationName ?? undefined) : null;
        entry.compiled = result && isCompiledQuery(result) ? result : null;
      }
      const compiled = entry.compiled;
      if (!compiled) return;
      // An answer with errors is the executor's, byte for byte: graphql-jit reports errors its own
      // way (also those beneath a null another error made; `{ data, errors }`; locations yoga
      // drops), and an answer must not change with how often its document has run. A compiled
      // document reads only public fields, so running it again costs time, never a write.
      setExecuteFn(((a: ExecutionArgs) => {
        const answer = (result: ExecutionResult) => (result.errors?.length ? executeFn(a) : { data: result.data });
        const result = compiled.query(a.rootValue, a.contextValue, a.variableValues ?? {});
        return result instanceof Promise ? result.then(answer) : answer(result);
      }) as never);
    },
  };
}
