// The SMS webhook without the provider's token ("Attack surface"): in production unsigned
// and forged texts are answered 503 and make nothing, and the server says why at start;
// SMS_ALLOW_UNSIGNED opens it for development and tests, and is refused in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { loadConfig } from '../../api/src/config.ts';

let s: TestServer;
const warnings: string[] = [];

beforeAll(async () => {
  // The app's log (JSON lines) to a destination the test reads.
  const logDestination = { write: (line: string) => void warnings.push(JSON.parse(line).msg as string) };
  s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'warn' }, { logDestination });
});
afterAll(async () => s?.stop());

describe('SMS intake without a provider token', () => {
  const text = (sid: string) => new URLSearchParams({ From: '+972501234000', To: '+97290000001', Body: 'Forged need', MessageSid: sid });

  it('in production, unsigned and forged texts are answered 503 and make no draft', async () => {
    for (const [sid, signature] of [['SMunsigned', undefined], ['SMforged', 'Zm9yZ2VkIHNpZ25hdHVyZQ==']] as const) {
      const res = await fetch(`${s.url}/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: text(sid),
      });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('SMS_AUTH_TOKEN');
    }
    expect(await s.app.services.prisma.intakeDraft.count()).toBe(0);
    expect(await s.app.services.prisma.intakeMessage.count()).toBe(0);
  });

  it('the server said why at start, in one line', () => {
    expect(warnings.filter((w) => w.includes('SMS_AUTH_TOKEN'))).toHaveLength(1);
  });

  it('SMS_ALLOW_UNSIGNED is refused in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SMS_ALLOW_UNSIGNED: '1' })).toThrow(/SMS_ALLOW_UNSIGNED/);
    expect(loadConfig({ NODE_ENV: 'development', SMS_ALLOW_UNSIGNED: '1' }).SMS_ALLOW_UNSIGNED).toBe(true);
  });

  it('outside production, unsigned texts are taken only with SMS_ALLOW_UNSIGNED', async () => {
    const post = (on: TestServer) =>
      fetch(`${on.url}/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: text('SMdev') });
    const closed = await startServer({ LOG_LEVEL: 'silent' });
    try {
      expect((await post(closed)).status).toBe(503);
      expect(await closed.app.services.prisma.intakeDraft.count()).toBe(0);
    } finally {
      await closed.stop();
    }
    const open = await startServer({ LOG_LEVEL: 'silent', SMS_ALLOW_UNSIGNED: '1' });
    try {
      expect((await post(open)).status).toBe(200);
      expect(await open.app.services.prisma.intakeDraft.count()).toBe(1);
    } finally {
      await open.stop();
    }
  }, 120_000);
});
