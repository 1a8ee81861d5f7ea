import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import { createLogging } from '../observability/logger.ts';
import { errorMasker } from './errorPolicy.ts';
import { directDelivery } from './sharedFrames.ts';

function socket() {
  const frames: Record<string, any>[] = [];
  const ws = { OPEN: 1, readyState: 1, send: (data: Buffer) => void frames.push(JSON.parse(data.toString())) } as unknown as WebSocket;
  return { ws, frames };
}

describe('live frames sent straight to a shared subscription', () => {
  // The direct path bypasses yoga's per-result masking: an unexpected failure (the database's
  // own words, a bug's message) would have reached every subscriber as it was thrown.
  it("masks a result's errors as yoga masks every other result, once for all its subscribers", () => {
    const lines: string[] = [];
    const { log } = createLogging({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', NODE_ENV: 'test' }, { write: (l: string) => void lines.push(l) });
    let sent = 0;
    const delivery = directDelivery(errorMasker(log, new WeakSet()), { inc: () => void sent++ });
    const [a, b] = [socket(), socket()];
    const result = { data: { needEvents: null }, errors: [new GraphQLError('relation "secret_table" does not exist', { originalError: new TypeError('relation "secret_table" does not exist') })] };
    delivery.send({ socket: a.ws, id: '1' }, result);
    delivery.send({ socket: b.ws, id: 'x' }, result);
    expect(a.frames).toEqual([{ id: '1', type: 'next', payload: { data: { needEvents: null }, errors: [expect.objectContaining({ message: 'Unexpected error.' })] } }]);
    expect(b.frames[0]).toMatchObject({ id: 'x', type: 'next', payload: a.frames[0]!.payload });
    expect(JSON.stringify([a.frames, b.frames])).not.toContain('secret_table');
    // Logged once, with its cause, for the operator.
    expect(lines.filter((l) => l.includes('secret_table'))).toHaveLength(1);
    expect(sent).toBe(2);
  });

  it('sends nothing on a socket that is closing', () => {
    let sent = 0;
    const delivery = directDelivery(errorMasker(createLogging({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json', NODE_ENV: 'test' }).log, new WeakSet()), { inc: () => void sent++ });
    const { ws, frames } = socket();
    (ws as { readyState: number }).readyState = 2;
    delivery.send({ socket: ws, id: '1' }, { data: { ok: true } });
    expect(frames).toEqual([]);
    expect(sent).toBe(0);
  });
});
