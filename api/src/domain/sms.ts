// Text messages out: the provider's REST endpoint in production, a local receiver in tests.
import { createOutbound, hostPortOf, type Outbound } from './outbound.ts';
import type { Logger } from '../observability/logger.ts';

/** Where replies go: a provider's REST endpoint in production, a local receiver in tests. */
export interface SmsSender {
  send(message: { to: string; from: string; body: string }): Promise<void>;
}

export class HttpSmsSender implements SmsSender {
  readonly #url: string;
  readonly #authToken: string | undefined;
  readonly #client: Outbound;
  constructor(url: string, authToken?: string) {
    this.#url = url;
    this.#authToken = authToken;
    // The operator's own provider URL (configuration, not user input) is trusted as configured,
    // even on an internal address; it still goes through the guarded client: no redirects
    // followed, a deadline, a capped answer.
    this.#client = createOutbound({ allowHosts: [hostPortOf(url)] });
  }
  async send(message: { to: string; from: string; body: string }): Promise<void> {
    const res = await this.#client.post(this.#url, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.#authToken ? { authorization: `Bearer ${this.#authToken}` } : {}),
      },
      body: new URLSearchParams({ To: message.to, From: message.from, Body: message.body }),
      timeoutMs: 5_000,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`SMS provider answered ${res.status}`);
  }
}

/** A reply to a texter, when a provider is configured; a failed reply is logged, never fatal. */
export async function reply(s: { sms: SmsSender | null; log: Pick<Logger, 'warn'> }, to: string, from: string, body: string) {
  if (!s.sms) return;
  try {
    await s.sms.send({ to, from, body });
  } catch (err) {
    // The cause only: the texter's number stays out of the log.
    s.log.warn({ cause: (err as Error).message }, 'sms: reply failed');
  }
}

