// The WhatsApp Business Cloud API webhook: Meta's GET handshake answers the challenge only for our
// verify token; a POST is taken only with X-Hub-Signature-256, the HMAC-SHA256 of its raw body with
// the app secret; a forged, missing or re-signed-with-another-secret request makes nothing; signed
// messages land on the same drafts as SMS, once each however often Meta retries; unset, it is closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { whatsappSignature } from '../../api/src/http/whatsapp.ts';

const VERIFY = 'verify-token-for-tests';
const SECRET = 'app-secret-for-tests';
const BUSINESS = '972 8-555-0199';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ WHATSAPP_VERIFY_TOKEN: VERIFY, WHATSAPP_APP_SECRET: SECRET, LOG_LEVEL: 'silent' });
});
afterAll(async () => s?.stop());

const payload = (id: string, from: string, body: string) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: BUSINESS, phone_number_id: '1' }, contacts: [{ wa_id: from }], messages: [{ id, from, timestamp: '1733300000', type: 'text', text: { body } }] } }] }],
  });

const post = (on: TestServer, body: string, signature: string | null) =>
  fetch(`${on.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) }, body });

const draftsFrom = (from: string) => s.app.services.prisma.intakeDraft.findMany({ where: { fromNumber: `+${from}` } });

describe('WhatsApp webhook', () => {
  it('answers the verification handshake only for the verify token', async () => {
    const handshake = (token: string, mode = 'subscribe') =>
      fetch(`${s.url}/whatsapp/webhook?${new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' })}`);
    const ok = await handshake(VERIFY);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    for (const res of [await handshake('wrong-token-xx'), await handshake(VERIFY.slice(0, -1)), await handshake(VERIFY, 'unsubscribe')]) {
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('1158201444');
    }
  });

  it('a signed message becomes one draft, however often Meta retries it', async () => {
    const from = '972501230001';
    const body = payload('wamid.A1', from, 'אמא שלי צריכה תרופות מהבית מרקחת');
    for (let i = 0; i < 3; i++) expect((await post(s, body, whatsappSignature(SECRET, body))).status).toBe(200);
    const drafts = await draftsFrom(from);
    expect(drafts.map((d) => [d.source, d.body, d.repeats])).toEqual([['WHATSAPP', 'אמא שלי צריכה תרופות מהבית מרקחת', 0]]);
  });

  it('a forged, unsigned or otherwise-signed message makes nothing', async () => {
    const from = '972501230002';
    const body = payload('wamid.F1', from, 'forged');
    const signed = whatsappSignature(SECRET, body);
    const tampered = payload('wamid.F1', from, 'forgeD');
    const answers = [
      await post(s, body, null),
      await post(s, body, whatsappSignature('another-secret-x', body)),
      await post(s, tampered, signed), // the body changed after signing
      await post(s, body, signed.replace('sha256=', 'sha1=')),
      await post(s, body, signed.slice(0, -2)),
    ];
    expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await draftsFrom(from)).toEqual([]);
  });

  it('is closed without its settings', async () => {
    const closed = await startServer({ LOG_LEVEL: 'silent' });
    try {
      const body = payload('wamid.C1', '972501230003', 'hello');
      expect((await post(closed, body, whatsappSignature(SECRET, body))).status).toBe(503);
      expect((await fetch(`${closed.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(503);
      expect(await closed.app.services.prisma.intakeDraft.count()).toBe(0);
    } finally {
      await closed.stop();
    }
  }, 120_000);
});
