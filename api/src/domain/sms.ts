// Text messages out: the provider's REST endpoint in production, a local receiver in tests.
/** Where replies go: a provider's REST endpoint in production, a local receiver in tests. */
export interface SmsSender {
  send(message: { to: string; from: string; body: string }): Promise<void>;
}

export class HttpSmsSender implements SmsSender {
  readonly #url: string;
  readonly #authToken: string | undefined;
  constructor(url: string, authToken?: string) {
    this.#url = url;
    this.#authToken = authToken;
  }
  async send(message: { to: string; from: string; body: string }): Promise<void> {
    const res = await fetch(this.#url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.#authToken ? { authorization: `Bearer ${this.#authToken}` } : {}),
      },
      body: new URLSearchParams({ To: message.to, From: message.from, Body: message.body }),
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`SMS provider answered ${res.status}`);
  }
}

/** A reply to a texter, when a provider is configured; a failed reply is logged, never fatal. */
export async function reply(sender: SmsSender | null, to: string, from: string, body: string) {
  if (!sender) return;
  try {
    await sender.send({ to, from, body });
  } catch (err) {
    console.error('[sms] reply failed:', (err as Error).message);
  }
}

