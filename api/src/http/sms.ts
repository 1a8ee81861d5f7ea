// The SMS provider's inbound webhook: form-encoded From, To, Body, MessageSid (Twilio's
// format), its signature checked with the provider's auth token. Without the token the
// webhook is closed (503), unless SMS_ALLOW_UNSIGNED opens it outside production.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import type { Config } from '../config.ts';
import { receiveSms, verifySmsSignature } from '../domain/intake.ts';

const MAX_SMS_BODY_BYTES = 64 * 1024;

const CLOSED = 'SMS intake is off: SMS_AUTH_TOKEN is not set, so a text cannot be told from a forgery.';

/** Why the webhook is closed (said once at start), or null when it takes texts. */
export function smsIntakeClosed(config: Config): string | null {
  return config.SMS_AUTH_TOKEN || config.SMS_ALLOW_UNSIGNED ? null : CLOSED;
}

export async function handleInboundSms(s: Services, req: IncomingMessage, res: ServerResponse) {
  const token = s.config.SMS_AUTH_TOKEN;
  if (smsIntakeClosed(s.config)) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end(CLOSED);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SMS_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  if (token) {
    const url = s.config.SMS_PUBLIC_URL ?? `${s.proxy.isHttps(req) ? 'https' : 'http'}://${req.headers.host}${req.url}`;
    const signature = String(req.headers['x-twilio-signature'] ?? '');
    if (!verifySmsSignature(token, url, params, signature)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Bad signature');
      return;
    }
  }
  const { From: from, To: to, Body: body, MessageSid: messageId } = params;
  if (!from || !to || body === undefined || !messageId) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('From, To, Body and MessageSid are required');
    return;
  }
  try {
    await receiveSms(s, { from, to, body, messageId });
    // Replies go through the outbound provider; the webhook answers with empty TwiML.
    res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  } catch (err) {
    s.log.error({ err }, 'sms: an inbound text failed');
    res.writeHead(500, { 'content-type': 'text/plain' }).end('Try again');
  }
}
