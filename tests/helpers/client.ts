// Real clients: fetch for HTTP, graphql-ws over a real WebSocket.
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';

export type GqlResult<T = any> = { data?: T; errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[] };

export class Api {
  token: string | null = null;
  constructor(readonly url: string) {}

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResult<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  }

  /** Like gql, but fails the test on any error. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data!;
  }

  async signUp(email: string, name = 'Test User', password = 'correct horse battery'): Promise<string> {
    const d = await this.ok(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`,
      { input: { email, name, password } },
    );
    this.token = d.signUp.token;
    return d.signUp.user.id;
  }

  async signIn(email: string, password: string): Promise<string> {
    const d = await this.ok(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { id } } }`, { e: email, p: password });
    this.token = d.signIn.token;
    return d.signIn.user.id;
  }

  ws(extra: { connectionParams?: Record<string, unknown>; headers?: Record<string, string>; retryAttempts?: number; on?: ClientOptions['on'] } = {}): Client {
    const wsUrl = this.url.replace('http', 'ws') + '/graphql';
    const headers = extra.headers;
    return createClient({
      url: wsUrl,
      webSocketImpl: headers ? class extends WebSocket { constructor(u: string, p: string[]) { super(u, p, { headers }); } } : WebSocket,
      connectionParams: extra.connectionParams ?? (this.token ? { authToken: this.token } : {}),
      retryAttempts: extra.retryAttempts ?? 0,
      lazy: true,
      on: extra.on,
    });
  }
}

/** Collects the results of one subscription until `until` says stop (or the timeout). */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown>, until: (items: T[]) => boolean, timeoutMs = 20_000) {
  const items: T[] = [];
  const errors: unknown[] = [];
  let dispose = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      dispose();
      reject(new Error(`Timed out with ${items.length} items; errors: ${JSON.stringify(errors)}`));
    }, timeoutMs);
    dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) errors.push(r.errors);
          if (r.data) items.push(r.data as T);
          if (until(items)) {
            clearTimeout(timer);
            dispose();
            resolve(items);
          }
        },
        error: (e) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(JSON.stringify(e)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(items);
        },
      },
    );
  });
  return { items, errors, done, dispose: () => dispose() };
}
