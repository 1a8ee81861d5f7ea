// Behind a reverse proxy ("Attack surface"): only with TRUST_PROXY are X-Forwarded-Proto
// (the session cookie's Secure flag) and X-Forwarded-For (the address rate limits key on)
// believed; without it they are whatever anyone sent, and ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { loadConfig } from '../../api/src/config.ts';
import { smsSignature } from '../../api/src/domain/intake.ts';

const SIGNUPS_PER_ADDRESS = 2;
const SMS_TOKEN = 'proxy-sms-token';

function signUp(s: TestServer, headers: Record<string, string>) {
  const email = `proxy-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  return fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: `mutation($input: SignUpInput!) { signUp(input: $input) { token } }`,
      variables: { input: { email, name: 'Proxied', password: 'correct horse battery' } },
    }),
  });
}

/** A text signed, as the provider does, over the public URL it posted to (https at the proxy). */
function smsOverHttps(s: TestServer, sid: string) {
  const params = { From: '+972501230000', To: '+97290000001', Body: 'Through the proxy', MessageSid: sid };
  const publicUrl = `${s.url.replace('http:', 'https:')}/sms/inbound`;
  return fetch(`${s.url}/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', 'x-twilio-signature': smsSignature(SMS_TOKEN, publicUrl, params) },
    body: new URLSearchParams(params),
  });
}

const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('ma_session='));
const errorCode = async (res: Response) => ((await res.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code;

function serverWith(env: Record<string, string>) {
  const holder: { s?: TestServer } = {};
  beforeAll(async () => {
    holder.s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: String(SIGNUPS_PER_ADDRESS), SMS_AUTH_TOKEN: SMS_TOKEN, ...env });
  });
  afterAll(async () => holder.s?.stop());
  return () => holder.s!;
}

// Both forms of the setting: the proxy's address (here the loopback the test connects from), and one hop.
for (const trust of ['loopback', '1']) {
  describe(`TRUST_PROXY=${trust}`, () => {
    const server = serverWith({ TRUST_PROXY: trust });

    it('X-Forwarded-Proto: https gives a Secure session cookie; plain http does not', async () => {
      expect(sessionCookie(await signUp(server(), { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' }))).toMatch(/; Secure\b/);
      expect(sessionCookie(await signUp(server(), { 'x-forwarded-proto': 'http', 'x-forwarded-for': '198.51.100.2' }))).not.toMatch(/Secure/);
    });

    it('X-Forwarded-For keys the rate limits: one client is limited, another is not', async () => {
      const client = { 'x-forwarded-for': '203.0.113.7' };
      for (let i = 0; i < SIGNUPS_PER_ADDRESS; i++) expect(await errorCode(await signUp(server(), client))).toBeUndefined();
      expect(await errorCode(await signUp(server(), client))).toBe('RATE_LIMITED');
      // A client-supplied entry left of the proxy's does not move the key: the nearest untrusted address counts.
      expect(await errorCode(await signUp(server(), { 'x-forwarded-for': '192.0.2.99, 203.0.113.7' }))).toBe('RATE_LIMITED');
      expect(await errorCode(await signUp(server(), { 'x-forwarded-for': '203.0.113.8' }))).toBeUndefined();
    });

    it('an SMS signed over the https URL the provider used is accepted', async () => {
      expect((await smsOverHttps(server(), 'SMproxied')).status).toBe(200);
    });
  });
}

describe('TRUST_PROXY unset', () => {
  const server = serverWith({});

  it('X-Forwarded-Proto is ignored: no Secure cookie over plain HTTP', async () => {
    expect(sessionCookie(await signUp(server(), { 'x-forwarded-proto': 'https' }))).not.toMatch(/Secure/);
  });

  it('X-Forwarded-For is ignored: a new header each time does not escape the limit', async () => {
    const results = [];
    for (let i = 0; i <= SIGNUPS_PER_ADDRESS; i++) results.push(await errorCode(await signUp(server(), { 'x-forwarded-for': `203.0.113.${20 + i}` })));
    expect(results.at(-1)).toBe('RATE_LIMITED');
  });

  it('an SMS claiming https through X-Forwarded-Proto is checked against the URL the server saw', async () => {
    expect((await smsOverHttps(server(), 'SMunproxied')).status).toBe(403);
  });
});

describe('TRUST_PROXY values', () => {
  it('takes a number of hops or addresses, ranges and names; refuses anything else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
  });
});
