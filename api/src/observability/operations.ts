// Every GraphQL operation, on both transports, counted, timed and logged once: its name and
// type, the viewer (an id, never contact details), how long it took and how it ended — ok, a
// typed error code, or unexpected. Expected failures are logged without a stack (info; warn
// for the service unavailable or a limit reached); an unexpected one at error with its stack.
// The errors seen here are the resolvers' own (this plugin runs before yoga masks them); the
// masker (graphql/errorPolicy.ts) logs only what no operation reported.
import { randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import { maskedError, originalOf, outcomeOf } from '../graphql/errorPolicy.ts';

/** Typed outcomes an operator should notice (warn rather than info). */
const NOTABLE: ReadonlySet<string> = new Set([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.RATE_LIMITED, ErrorCode.SUBSCRIBER_TOO_SLOW]);

type Described = { requestId: string; operation: string; type: string; transport: string };

/** The outcome of a result's errors (the first unexpected one wins) and what to log of them. */
function outcomeOfErrors(errors: readonly unknown[] | undefined, reported: WeakSet<object>) {
  if (!errors?.length) return { outcome: 'ok', codes: [] as string[], unexpected: [] as unknown[] };
  const codes: string[] = [];
  const unexpected: unknown[] = [];
  for (const e of errors) {
    const outcome = outcomeOf(maskedError(e));
    const original = originalOf(e);
    if (typeof original === 'object' && original) reported.add(original);
    codes.push(outcome);
    if (outcome === 'unexpected') unexpected.push(original);
  }
  return { outcome: unexpected.length ? 'unexpected' : codes[0]!, codes, unexpected };
}

export function useOperationObservability(s: Services, reported: WeakSet<object>): Plugin {
  const { metrics, log } = s;

  function describe(args: ExecutionArgs): Described {
    const ctx = args.contextValue as unknown as Context;
    const op = getOperationAST(args.document, args.operationName);
    const scope = ctx.transport === 'http' ? s.requestScope.getStore() : undefined;
    const operation = metrics.operationLabel(op?.name?.value);
    if (scope) scope.operation = operation;
    return { requestId: scope?.requestId ?? randomUUID(), operation, type: op?.operation ?? 'unknown', transport: ctx.transport };
  }

  /** One line and one count for a finished operation (or a subscription that failed to start). */
  function finished(d: Described, ctx: Context, started: number, errors: readonly unknown[] | undefined, what = 'graphql operation') {
    const seconds = (performance.now() - started) / 1000;
    const { outcome, codes, unexpected } = outcomeOfErrors(errors, reported);
    metrics.graphqlOperations.inc({ operation: d.operation, type: d.type, outcome });
    metrics.graphqlDuration.observe({ operation: d.operation, type: d.type, outcome }, seconds);
    const viewerId = ctx.viewer?.id;
    const scope = s.requestScope.getStore();
    if (scope && viewerId) scope.viewerId = viewerId;
    const line = { ...d, viewerId, durationMs: Math.round(seconds * 1000), outcome, ...(codes.length ? { errorCodes: codes } : {}) };
    if (unexpected.length) for (const err of unexpected) log.error({ ...line, err }, `${what}: unexpected error`);
    else if (NOTABLE.has(outcome)) log.warn(line, what);
    else log.info(line, what);
  }

  return {
    onExecute({ args }) {
      const started = performance.now();
      const d = describe(args);
      return {
        onExecuteDone({ result }) {
          finished(d, args.contextValue as unknown as Context, started, 'errors' in result ? (result.errors as readonly GraphQLError[]) : undefined);
        },
      };
    },
    onSubscribe({ args }) {
      const started = performance.now();
      const d = describe(args);
      const ctx = args.contextValue as unknown as Context;
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return finished(d, ctx, started, result.errors);
          finished(d, ctx, started, undefined, 'graphql subscription started');
          metrics.subscriptionsActive.inc({ operation: d.operation });
          let events = 0;
          return {
            onNext({ result: event }) {
              events++;
              const { codes, unexpected } = outcomeOfErrors((event as { errors?: readonly unknown[] }).errors, reported);
              for (const err of unexpected) log.error({ ...d, viewerId: ctx.viewer?.id, err }, 'graphql subscription event: unexpected error');
              if (codes.length && !unexpected.length) log.info({ ...d, viewerId: ctx.viewer?.id, errorCodes: codes }, 'graphql subscription event failed');
            },
            onEnd() {
              metrics.subscriptionsActive.dec({ operation: d.operation });
              log.info({ ...d, viewerId: ctx.viewer?.id, durationMs: Math.round(performance.now() - started), events }, 'graphql subscription ended');
            },
          };
        },
        onSubscribeError({ error }: { error: unknown }) {
          finished(d, ctx, started, [error]);
        },
      };
    },
    onValidate({ params, context }) {
      return ({ valid, result }) => {
        if (valid) return;
        const op = getOperationAST(params.documentAST as DocumentNode, (context as { params?: { operationName?: string } }).params?.operationName);
        const operation = metrics.operationLabel(op?.name?.value);
        const codes = result.map((e) => (e as GraphQLError).extensions?.code ?? ErrorCode.GRAPHQL_VALIDATION_FAILED);
        metrics.graphqlOperations.inc({ operation, type: op?.operation ?? 'unknown', outcome: String(codes[0]) });
        log.info({ operation, errorCodes: codes }, 'graphql operation refused by validation');
      };
    },
  };
}
