// The SMS provider's inbound webhook: form-encoded From, To, Body, MessageSid (Twilio's
// format), its signature checked when the provider's auth token is configured.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { receiveSms, verifySmsSignature } from '../domain/intake.ts';

const MAX_SMS_BODY_BYTES = 64 * 1024;

export async function handleInboundSms(s: Services, req: IncomingMessage, res: ServerResponse) {
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
  const token = s.config.SMS_AUTH_TOKEN;
  if (token) {
    const url = s.config.SMS_PUBLIC_URL ?? `http://${req.headers.host}${req.url}`;
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
    console.error('[sms] inbound failed:', (err as Error).message);
    res.writeHead(500, { 'content-type': 'text/plain' }).end('Try again');
  }
}
