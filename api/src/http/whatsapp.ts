// The WhatsApp Business Cloud API webhook, into the same drafts as SMS (domain/intake.ts).
// GET is Meta's subscription handshake: hub.mode=subscribe with our verify token is answered with
// hub.challenge. POST carries messages, signed: X-Hub-Signature-256 is "sha256=" and the hex
// HMAC-SHA256 of the raw body with the app secret, compared in constant time before the body is
// parsed. Without the verify token or the app secret that half of the webhook is closed (503).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { receiveSms } from '../domain/intake.ts';

const MAX_BODY_BYTES = 256 * 1024;

/** The signature Meta sends for `body` (tests sign with it too). */
export function whatsappSignature(appSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The text messages of a webhook payload (other kinds — images, statuses — are not requests we can read). */
type Payload = {
  entry?: {
    changes?: {
      value?: {
        metadata?: { display_phone_number?: string };
        messages?: { id?: string; from?: string; type?: string; text?: { body?: string } }[];
      };
    }[];
  }[];
};

const asNumber = (digits: string) => (digits.startsWith('+') ? digits : `+${digits}`);

export async function handleWhatsapp(s: Services, req: IncomingMessage, res: ServerResponse, url: URL) {
  const text = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  if (req.method === 'GET') {
    const token = s.config.WHATSAPP_VERIFY_TOKEN;
    if (!token) return text(503, 'WhatsApp intake is off: WHATSAPP_VERIFY_TOKEN is not set.');
    const q = url.searchParams;
    if (q.get('hub.mode') !== 'subscribe' || !sameSecret(token, q.get('hub.verify_token') ?? '')) return text(403, 'Bad verify token');
    return text(200, q.get('hub.challenge') ?? '');
  }
  const secret = s.config.WHATSAPP_APP_SECRET;
  if (!secret) return text(503, 'WhatsApp intake is off: WHATSAPP_APP_SECRET is not set, so a message cannot be told from a forgery.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return text(413, 'Too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  if (!sameSecret(whatsappSignature(secret, raw), String(req.headers['x-hub-signature-256'] ?? ''))) return text(403, 'Bad signature');
  let payload: Payload;
  try {
    payload = JSON.parse(raw.toString('utf8')) as Payload;
  } catch {
    return text(400, 'Not JSON');
  }
  try {
    for (const change of (payload.entry ?? []).flatMap((e) => e.changes ?? [])) {
      const to = change.value?.metadata?.display_phone_number;
      for (const m of change.value?.messages ?? []) {
        if (m.type !== 'text' || !m.id || !m.from || !to || typeof m.text?.body !== 'string') continue;
        await receiveSms(s, { messageId: `wa:${m.id}`, from: asNumber(m.from), to: asNumber(to.replace(/[^\d+]/g, '')), body: m.text.body, source: 'WHATSAPP' });
      }
    }
    text(200, 'ok');
  } catch (err) {
    // Meta retries what is not answered 200: a retry lands on the same drafts (message ids).
    s.log.error({ err }, 'whatsapp: an inbound message failed');
    text(500, 'Try again');
  }
}
