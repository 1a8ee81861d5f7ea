// Shared execution of subscription events: anonymous WebSocket subscriptions with the same
// document and the same variables below the root field compute the same payload for the same
// event, whatever their root arguments (the filter only decides which events they get). So
// each event is executed once per such group instead of once per subscriber; every member
// still has its own source stream (filter, cursor replay, slow-consumer guard) and its own
// frames. Signed-in viewers are never grouped: fields may depend on who is asking.
import {
  Kind,
  executeSubscriptionEvent,
  createSourceEventStream,
  mapSourceToResponseEvent,
  validateSubscriptionArgs,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
  type ValidatedSubscriptionArgs,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

type Executed = ReturnType<typeof executeSubscriptionEvent>;

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;
/** event object (shared by every listener of a batch) -> group key -> its execution. */
const executions = new WeakMap<object, Map<string, Executed>>();

/** Names of the variables used anywhere except in the root fields' own arguments. */
function variablesBelowRoot(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const names = new Set<string>();
  const visit = (node: unknown, skipArgumentsOfRootFields: boolean) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, skipArgumentsOfRootFields);
      return;
    }
    const n = node as ASTNode & Record<string, unknown>;
    if (n.kind === Kind.VARIABLE) {
      names.add(n.name.value);
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'loc') continue;
      if (skipArgumentsOfRootFields && n.kind === Kind.FIELD && key === 'arguments') continue;
      visit(value, false);
    }
  };
  for (const selection of operation.selectionSet.selections) visit(selection, true);
  visit(operation.directives, false);
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) visit(d, false);
  return [...names].sort();
}

function groupKey(args: ExecutionArgs, validated: ValidatedSubscriptionArgs): string | null {
  const ctx = args.contextValue as Context | undefined;
  if (!ctx || ctx.transport !== 'ws' || ctx.viewer) return null;
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
  const raw = (args.variableValues ?? {}) as Record<string, unknown>;
  const used = variablesBelowRoot(args.document, validated.operation).map((name) => [name, raw[name]]);
  return JSON.stringify([id, validated.operation.name?.value ?? null, used]);
}

function sharedExecutor(key: string) {
  return (perEvent: ValidatedSubscriptionArgs): Executed => {
    const event = perEvent.rootValue;
    if (!event || typeof event !== 'object') return executeSubscriptionEvent(perEvent);
    let byKey = executions.get(event);
    if (!byKey) executions.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = executeSubscriptionEvent(perEvent)));
    return result;
  };
}

/** Envelop plugin: takes over anonymous WebSocket subscriptions and shares their executions. */
export function useSharedSubscriptionExecution(): Plugin {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const original = subscribeFn;
      setSubscribeFn(((a: ExecutionArgs) => {
        const validated = validateSubscriptionArgs(a);
        // Anything unusual (invalid variables, …) keeps the default path and its exact errors.
        if (!('schema' in validated)) return original(a);
        const key = groupKey(a, validated);
        if (key === null) return original(a);
        const stream = createSourceEventStream(validated);
        const map = (s: Awaited<typeof stream>) =>
          Symbol.asyncIterator in (s as object) ? mapSourceToResponseEvent(validated, s as AsyncIterable<unknown>, sharedExecutor(key)) : (s as ExecutionResult);
        return stream instanceof Promise ? stream.then(map) : map(stream);
      }) as typeof subscribeFn);
      void args;
    },
  };
}
