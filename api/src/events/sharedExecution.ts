// Shared execution of subscription events: WebSocket subscriptions with the same document and
// the same variables below the root field compute the same payload for the same event, whatever
// their root arguments (the filter only decides which events they get), when nothing they
// select depends on who is asking. So each event is executed once per such group instead of
// once per subscriber; every member still has its own source stream (filter, cursor replay,
// slow-consumer guard) and its own frames.
//
// Who is asking matters unless every field selected is the same for every viewer
// (`sameForEveryViewer`): anonymous subscriptions always qualify, since they see only that; a
// signed-in one qualifies when its document selects nothing else, and then shares its group with
// the anonymous ones. A field is the same for every viewer when it and its type are public
// (`authScopes: { public: true }`) and it either exposes its own column or says so with
// `extensions: sameForEveryViewer` (its resolver reads no viewer). Opt-in: a field that says
// nothing keeps the subscription to itself. Such a subscription needs no per-event access check
// (events/liveAccess.ts) either: it is delivered what anyone may see.
import {
  BREAK,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  executeSubscriptionEvent,
  createSourceEventStream,
  mapSourceToResponseEvent,
  validateSubscriptionArgs,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type OperationDefinitionNode,
  type ValidatedSubscriptionArgs,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { onlyPublic } from '../schema/publicScopes.ts';
import type { Context } from '../context.ts';
import type { Metrics } from '../observability/metrics.ts';

type Executed = ReturnType<typeof executeSubscriptionEvent>;
type Counted = Pick<Metrics['sharedExecutions'], 'inc'>;

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;
/** event object (shared by every listener of a batch) -> group key -> its execution. */
const executions = new WeakMap<object, Map<string, Executed>>();

/** Names of the variables used anywhere except in the root fields' own arguments. */
export function variablesBelowRoot(document: DocumentNode, operation: OperationDefinitionNode): string[] {
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

/** Field extensions: its value is the same whoever asks (see the top of this file). */
export const sameForEveryViewer = { sameForEveryViewer: true } as const;

type FieldExtensions = { sameForEveryViewer?: boolean; pothosExposedField?: string; pothosOptions?: { authScopes?: unknown } };

function fieldIsShared(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, schema: GraphQLSchema): boolean {
  const ext = field.extensions as FieldExtensions;
  const typeScopes = (parent.extensions as FieldExtensions).pothosOptions?.authScopes;
  // A field without scopes of its own has its type's (a Relay node's id).
  if (!onlyPublic(ext.pothosOptions?.authScopes ?? typeScopes)) return false;
  // A root field is the subscription itself: its own resolver must say so.
  if (parent === schema.getSubscriptionType()) return ext.sameForEveryViewer === true;
  if (!onlyPublic(typeScopes)) return false;
  return ext.sameForEveryViewer === true || typeof ext.pothosExposedField === 'string';
}

const sharedDocuments = new WeakMap<DocumentNode, boolean>();

/** Whether `accept` holds for every field the document selects, in every operation and fragment (`__typename` aside). */
export function everySelectedField(
  schema: GraphQLSchema,
  document: DocumentNode,
  accept: (parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>) => boolean,
): boolean {
  const typeInfo = new TypeInfo(schema);
  let every = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || !accept(parent, field)) {
          every = false;
          return BREAK;
        }
      },
    }),
  );
  return every;
}

/** Whether everything the document selects (every operation and fragment in it) is the same for every viewer. */
export function selectsOnlySharedFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  let known = sharedDocuments.get(document);
  if (known === undefined) sharedDocuments.set(document, (known = everySelectedField(schema, document, (parent, field) => fieldIsShared(parent, field, schema))));
  return known;
}

function groupKey(args: ExecutionArgs, validated: ValidatedSubscriptionArgs): string | null {
  const ctx = args.contextValue as Context | undefined;
  if (!ctx || ctx.transport !== 'ws') return null;
  if (ctx.viewer && !selectsOnlySharedFields(args.schema, args.document)) return null;
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
  const raw = (args.variableValues ?? {}) as Record<string, unknown>;
  const used = variablesBelowRoot(args.document, validated.operation).map((name) => [name, raw[name]]);
  return JSON.stringify([id, validated.operation.name?.value ?? null, used]);
}

/** Results of shared executions: the very object every subscription of the group is sent. */
const sharedResults = new WeakSet<object>();

/** Whether `result` is one shared execution's, sent alike to a group (graphql/sharedFrames.ts serialises it once). */
export const isSharedResult = (result: unknown): result is object => typeof result === 'object' && result !== null && sharedResults.has(result);

const markShared = <T extends object>(result: T): T => {
  sharedResults.add(result);
  return result;
};

/** The group's result for `event`: executed by the first member that asks (with `args()`), the same object for the others. */
function sharedResult(key: string, counted: Counted, event: object, args: () => ValidatedSubscriptionArgs): Executed {
  let byKey = executions.get(event);
  if (!byKey) executions.set(event, (byKey = new Map()));
  let result = byKey.get(key);
  counted.inc({ outcome: result ? 'reused' : 'executed' });
  if (!result) {
    const executed = executeSubscriptionEvent(args());
    byKey.set(key, (result = executed instanceof Promise ? executed.then(markShared) : markShared(executed)));
  }
  return result;
}

function sharedExecutor(key: string, counted: Counted) {
  return (perEvent: ValidatedSubscriptionArgs): Executed => {
    const event = perEvent.rootValue;
    if (!event || typeof event !== 'object') return executeSubscriptionEvent(perEvent);
    return sharedResult(key, counted, event, () => perEvent);
  };
}

/** A graphql-ws operation's socket and id (Context['liveSink']). */
type Sink = NonNullable<Context['liveSink']>;

/**
 * How a result reaches a member's socket without graphql-ws's loop (graphql/sharedFrames.ts:
 * its errors masked as every other result's, the frame written).
 */
export type DirectDelivery = {
  send(sink: Sink, result: ExecutionResult): void;
  /** Told how long each pass sending settled results took: fan-out work outside the stream's rounds (events/writeAdmission.ts). */
  spent?(ms: number): void;
};

/** A source stream that can hand its live events straight over (events/stream.ts). */
type DirectSource = AsyncIterable<unknown> & { direct(deliver: (events: object[]) => void): void };
const isDirectSource = (s: object): s is DirectSource => typeof (s as Partial<DirectSource>).direct === 'function';

/** A member's socket, and its results not sent yet, oldest first: each is sent once it and all before it are ready. */
type Member = { sink: Sink; results: Executed[] };

/**
 * Sends members' results in order, with no promise per member: a result still being executed is
 * awaited once, whoever waits for it, and when results settle one pass over the waiting members
 * sends what each can send. An execution that threw is sent as its error.
 */
export class DirectSender {
  readonly #waiting = new Set<Member>();
  /** Per result being executed: null until it settles, then what it settled as. */
  readonly #settled = new WeakMap<Promise<ExecutionResult>, ExecutionResult | null>();
  #flushing = false;
  readonly #send: DirectDelivery['send'];
  readonly #spent: DirectDelivery['spent'];
  constructor(direct: DirectDelivery) {
    this.#send = direct.send;
    this.#spent = direct.spent;
  }

  push(member: Member, result: Executed): void {
    // What can be sent now: a result computed at once, or an execution that has settled (a
    // member reached in a later slice of the same delivery round than the group's first).
    let ready: ExecutionResult | null = null;
    if (!(result instanceof Promise)) ready = result;
    else {
      const outcome = this.#settled.get(result);
      if (outcome === undefined) {
        this.#settled.set(result, null);
        result.then(
          (value) => this.#settle(result, value),
          (error: unknown) => this.#settle(result, { errors: [error as GraphQLError] }),
        );
      } else ready = outcome;
    }
    if (ready && member.results.length === 0) return this.#send(member.sink, ready);
    member.results.push(result);
    this.#waiting.add(member);
    if (ready) this.#schedule();
  }

  #settle(result: Promise<ExecutionResult>, outcome: ExecutionResult): void {
    this.#settled.set(result, outcome);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    queueMicrotask(() => {
      this.#flushing = false;
      const start = performance.now();
      for (const member of this.#waiting) {
        for (let next = member.results[0]; next !== undefined; next = member.results[0]) {
          const ready = next instanceof Promise ? this.#settled.get(next) : next;
          if (!ready) break;
          member.results.shift();
          this.#send(member.sink, ready);
        }
        if (member.results.length === 0) this.#waiting.delete(member);
      }
      this.#spent?.(performance.now() - start);
    });
  }
}

/** A member's live events, delivered in order as frames on its socket; each event's shared result executed once for the group. */
function deliverDirectly(key: string, counted: Counted, validated: ValidatedSubscriptionArgs, sink: Sink, sender: DirectSender) {
  const member: Member = { sink, results: [] };
  return (events: object[]) => {
    for (const event of events) sender.push(member, sharedResult(key, counted, event, () => ({ ...validated, rootValue: event })));
  };
}

/**
 * Envelop plugin: takes over WebSocket subscriptions that may share and shares their executions.
 * With `direct`, a member's live events (once it has caught up) are sent to its socket as they
 * arrive, without the chain of async iterators (stream, graphql, envelop, graphql-ws) each event
 * takes otherwise: at 10,000 subscribers that chain was most of the server's time.
 */
export function useSharedSubscriptionExecution(counted: Counted, direct?: DirectDelivery): Plugin {
  const sender = direct && new DirectSender(direct);
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
        const sink = (a.contextValue as Context).liveSink;
        const map = (s: Awaited<typeof stream>) => {
          if (!(Symbol.asyncIterator in (s as object))) return s as ExecutionResult;
          if (sender && sink && isDirectSource(s as object)) (s as DirectSource).direct(deliverDirectly(key, counted, validated, sink, sender));
          return mapSourceToResponseEvent(validated, s as AsyncIterable<unknown>, sharedExecutor(key, counted));
        };
        return stream instanceof Promise ? stream.then(map) : map(stream);
      }) as typeof subscribeFn);
      void args;
    },
  };
}
