// Idempotent mutations, on the GraphQL side: a mutation may carry a key — the `Idempotency-Key`
// header over HTTP, `extensions.idempotencyKey` over WebSocket (either on either transport) —
// scoped to whoever sends it (the signed-in user, else the client address). The key's row is
// looked up before execution: none, the mutation runs and its units of work store their results
// with the key (events/idempotency.ts); a row for the same document and variables, the document
// runs again with those results returned instead of working again (the effect happens once, the
// answer has the same shape and names the same records, read as they are now); a row for
// another request, IDEMPOTENCY_KEY_REUSED. A retry while the first attempt still runs in this
// process waits for it; in another process it gets IDEMPOTENCY_IN_PROGRESS (retryable).
import { createHash } from 'node:crypto';
import { getOperationAST, print, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { IdempotentRun } from '../events/idempotency.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 200;

type Initial = { request?: Request; params?: { extensions?: Record<string, unknown> } };

function keyOf(ctx: Initial): string | null {
  const fromExtensions = ctx.params?.extensions?.idempotencyKey;
  const key = ctx.request?.headers.get(IDEMPOTENCY_HEADER) ?? (typeof fromExtensions === 'string' ? fromExtensions : null);
  return key?.trim() || null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Same keys in any order hash alike, so a client re-serialising its variables is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function useIdempotency(s: Services): Plugin {
  /** Keys being executed in this process, so that a retry waits for the first attempt. */
  const running = new Map<string, Promise<void>>();
  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const { document, operationName, variableValues, contextValue } = args as unknown as ExecutionArgs;
      if (getOperationAST(document, operationName)?.operation !== 'mutation') return;
      const ctx = contextValue as Context & Initial;
      const key = keyOf(ctx);
      if (!key) return;
      if (key.length > MAX_KEY_LENGTH) {
        setResultAndStopExecution({ errors: [new AppError(ErrorCode.BAD_USER_INPUT, `An idempotency key has at most ${MAX_KEY_LENGTH} characters.`)] });
        return;
      }
      // Whose key: an API key's own (not its creator's), a user's, or an anonymous address's.
      const scope = ctx.viewer?.apiKey ? `apikey:${ctx.viewer.apiKey.id}` : ctx.viewer ? `user:${ctx.viewer.id}` : `ip:${ctx.clientKey}`;
      const id = `${scope}\n${key}`;
      for (let ahead = running.get(id); ahead; ahead = running.get(id)) await ahead;
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      running.set(id, mine);
      const done = () => {
        if (running.get(id) === mine) running.delete(id);
        release();
      };
      try {
        const requestHash = `${sha256(`${operationName ?? ''}\n${print(document)}`)}:${sha256(canonical(variableValues ?? {}))}`;
        const ttlMs = s.config.IDEMPOTENCY_TTL_HOURS * 3_600_000;
        let row = await s.prisma.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
        if (row && s.clock.now().getTime() - row.createdAt.getTime() >= ttlMs) {
          await s.prisma.idempotencyKey.deleteMany({ where: { scope, key, createdAt: row.createdAt } });
          row = null;
        }
        if (row && row.requestHash !== requestHash) {
          done();
          setResultAndStopExecution({
            errors: [new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for a different request; use a new key.')],
          });
          return;
        }
        const run: IdempotentRun = { scope, key, requestHash, exists: !!row, stored: (row?.results as IdempotentRun['stored'] | undefined) ?? [], next: 0 };
        setExecuteFn(async (a) => {
          try {
            return await s.idempotency.run(run, () => executeFn(a));
          } finally {
            done();
          }
        });
      } catch (err) {
        done();
        throw err;
      }
      return { onExecuteDone: done };
    },
  };
}
