// One GraphQL document, run the same way over HTTP (fetch) and over WebSocket (graphql-ws):
// for tests that prove both transports apply the same rules.
import { Api, type GqlResult } from './client.ts';

export type Outcome = { data: unknown; errors: { message: string; extensions?: Record<string, any> }[] };

export async function overHttp(url: string, query: string, variables: Record<string, unknown> = {}, token: string | null = null): Promise<Outcome> {
  const api = new Api(url);
  api.token = token;
  const r: GqlResult = await api.gql(query, variables);
  return { data: r.data ?? null, errors: r.errors ?? [] };
}

/**
 * Runs the document as one graphql-ws operation and returns its first result (or error). Gives
 * up after `wait` ms, or, given a function, once what it returns settles: it is handed a promise
 * that the socket has been acknowledged, for a wait that counts from there.
 */
export async function overWs(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
  wait: number | ((acknowledged: Promise<void>) => Promise<void>) = 5_000,
): Promise<Outcome> {
  const api = new Api(url);
  api.token = token;
  let acknowledge!: () => void;
  const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
  const client = api.ws({ on: { connected: () => acknowledge() } });
  const out: Outcome = { data: null, errors: [] };
  try {
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = () => {
        dispose();
        resolve();
      };
      if (typeof wait === 'number') timer = setTimeout(giveUp, wait);
      else void wait(acknowledged).then(giveUp);
      const dispose = client.subscribe(
        { query, variables },
        {
          next: (r) => {
            if (r.data !== undefined && r.data !== null) out.data = r.data;
            out.errors.push(...((r.errors ?? []) as Outcome['errors']));
            // A subscription's first result is enough.
            clearTimeout(timer);
            dispose();
            resolve();
          },
          error: (e) => {
            const list = Array.isArray(e) ? e : [e];
            out.errors.push(...list.map((x: any) => ({ message: String(x?.message ?? x?.reason ?? x), extensions: x?.extensions, closeCode: x?.code })));
            clearTimeout(timer);
            resolve();
          },
          complete: () => {
            clearTimeout(timer);
            resolve();
          },
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return out;
}
