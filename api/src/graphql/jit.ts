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
//   `runScopesOnType` is one, so no type here uses it; the schema test checks).
// A document is compiled once it has run GRAPHQL_COMPILE_AFTER_RUNS times (config.ts; 0 turns
// compiling off): compiling costs tens of milliseconds for a deep document, which only a document
// that keeps running (a board, a dashboard) pays back, and which a client sending ever new
// documents must not be able to make the server spend on each. CI's PostgreSQL step runs the
// API, reliability and security suites with every query compiled on its first run (.ci/run), the
// README's test command with the default: both paths answer every suite.
import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Types whose isTypeOf graphql-jit would call without the context. */
export function typesWithIsTypeOf(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => 'isTypeOf' in t && typeof t.isTypeOf === 'function')
    .map((t) => t.name);
}

const variablesIn = (node: ASTNode | readonly ASTNode[] | undefined): number => {
  let n = 0;
  for (const each of Array.isArray(node) ? node : node ? [node] : []) {
    visit(each as ASTNode, {
      [Kind.VARIABLE]() {
        n++;
      },
    });
  }
  return n;
};

/** A query whose variables are used only as arguments of its root fields. */
export function compilable(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  const used = document.definitions.reduce((n, d) => n + variablesIn(d.kind === Kind.OPERATION_DEFINITION ? { ...d, variableDefinitions: [] } : d), 0);
  const inRootArguments = operation.selectionSet.selections.reduce((n, s) => n + (s.kind === Kind.FIELD ? variablesIn(s.arguments) : 0), 0);
  return used === inRootArguments;
}


type Entry = { runs: number; compiled: CompiledQuery | null };

/**
 * A field error as the executor reports it. graphql-jit's errors carry their locations as a
 * plain property, which yoga drops when it rebuilds an error from its nodes or positions:
 * rebuilt here from the document's source, with the same message, path, extensions and cause.
 */
function locatedAsExecuted(error: GraphQLError, document: DocumentNode): GraphQLError {
  const source = document.loc?.source;
  if (!source || !error.locations?.length) return error;
  const lineStarts = [0];
  for (const m of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(m.index + m[0].length);
  return new GraphQLError(error.message, {
    source,
    positions: error.locations.map((l) => (lineStarts[l.line - 1] ?? 0) + l.column - 1),
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
}

/** `afterRuns`: runs of a document before it is compiled; 0, never. */
export function useCompiledQueries(schema: GraphQLSchema, afterRuns: number): Plugin {
  if (afterRuns === 0) return {};
  const withIsTypeOf = typesWithIsTypeOf(schema);
  if (withIsTypeOf.length) throw new Error(`Compiled queries: graphql-jit calls isTypeOf without the context; types with one: ${withIsTypeOf.join(', ')}`);
  /** Per document (yoga's parse cache keeps one object per query text), per operation name. */
  const entries = new WeakMap<DocumentNode, Map<string, Entry>>();
  return {
    onExecute({ args, setExecuteFn }) {
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
        const result = operation && compilable(document, operation) ? compileQuery(schema, document, operationName ?? undefined) : null;
        entry.compiled = result && isCompiledQuery(result) ? result : null;
      }
      const compiled = entry.compiled;
      if (!compiled) return;
      const located = (result: ExecutionResult) => (result.errors?.length ? { ...result, errors: result.errors.map((e) => locatedAsExecuted(e, document)) } : result);
      setExecuteFn(((a: ExecutionArgs) => {
        const result = compiled.query(a.rootValue, a.contextValue, a.variableValues ?? {});
        return result instanceof Promise ? result.then(located) : located(result);
      }) as never);
    },
  };
}
