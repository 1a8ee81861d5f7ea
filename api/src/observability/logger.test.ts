import { describe, expect, it } from 'vitest';
import { createLogging, requestIdFrom } from './logger.ts';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const { log, scope } = createLogging({ LOG_LEVEL: level, LOG_FORMAT: 'json', NODE_ENV: 'test' }, { write: (l: string) => void lines.push(l) });
  return { log, scope, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('the log', () => {
  it('redacts secrets and contact details at any depth, headers included, and keeps the rest', () => {
    const { log, lines, parsed } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer s3cret-token', cookie: 'mab_session=abc123', 'x-request-id': 'r-1234567', 'user-agent': 'test' } },
        res: { headers: { 'set-cookie': 'mab_session=abc123; HttpOnly' } },
        variables: { input: { email: 'miriam@example.org', password: 'correct horse', requesterPhone: '+972-50-123-4567', title: 'Groceries' } },
        token: 'tok-123',
        user: { id: 'u1', phone: '+972501234567', address: '12 Herzl St' },
      },
      'something happened',
    );
    const text = lines.join('');
    for (const secret of ['s3cret-token', 'abc123', 'miriam@example.org', 'correct horse', '123-4567', '+972501234567', 'tok-123', 'Herzl']) expect(text).not.toContain(secret);
    const [line] = parsed();
    expect(line!.req.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]', 'x-request-id': 'r-1234567', 'user-agent': 'test' });
    expect(line!.res.headers['set-cookie']).toBe('[redacted]');
    expect(line!.variables.input).toMatchObject({ email: '[redacted]', password: '[redacted]', requesterPhone: '[redacted]', title: 'Groceries' });
    expect(line!.user).toEqual({ id: 'u1', phone: '[redacted]', address: '[redacted]' });
    expect(line!.msg).toBe('something happened');
  });

  it('gives every line written in a request scope its id, and does not let the lines change the scope', () => {
    const { log, scope, parsed } = capture();
    const store = { requestId: 'req-0000001', operation: 'Claim' };
    scope.run(store, () => {
      log.info({ outcome: 'ok' }, 'first');
      log.info('second');
    });
    log.info('outside');
    const [first, second, outside] = parsed();
    expect(first).toMatchObject({ requestId: 'req-0000001', operation: 'Claim', outcome: 'ok' });
    expect(second).toMatchObject({ requestId: 'req-0000001', operation: 'Claim' });
    expect(second).not.toHaveProperty('outcome');
    expect(outside).not.toHaveProperty('requestId');
    expect(store).toEqual({ requestId: 'req-0000001', operation: 'Claim' });
  });

  it('writes errors with their stack under err, and respects the level', () => {
    const { log, parsed } = capture();
    log.debug('hidden');
    log.error({ err: new TypeError('boom') }, 'failed');
    const lines = parsed();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, err: { type: 'TypeError', message: 'boom' } });
    expect(lines[0]!.err.stack).toMatch(/TypeError: boom\n\s+at /);
  });

  it('takes a well-formed X-Request-Id and makes one otherwise', () => {
    expect(requestIdFrom('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(requestIdFrom(['trace-12345678', 'other'])).toBe('trace-12345678');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'short', 'has spaces in it', 'line\nbreak-12345', 'x'.repeat(129), '"quoted-12345"']) expect(requestIdFrom(bad)).toMatch(uuid);
  });
});
