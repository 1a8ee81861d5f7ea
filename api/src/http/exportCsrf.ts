// Exports with private columns are reads worth forging: a cross-site GET carries the Lax session
// cookie, and would be served and logged as the victim's read. So a private export needs either a
// credential no other site can send (an Authorization header: a session token or an API key), or
// a same-site POST (the web app's form) carrying a token bound to the session: the SHA-256 of
// the session token under a purpose label, read through GraphQL (Query.exportToken), which a
// foreign page cannot read (CORS), and whose session token it never sees (HttpOnly cookie).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenFromAuthorization } from '../auth/sessions.ts';

export const exportToken = (sessionToken: string) => createHash('sha256').update('mutual-aid export csrf\0').update(sessionToken).digest('base64url');

/** The form field `csrf` of a small urlencoded POST body; anything else (or more than 4 KiB): null. */
export async function csrfField(req: IncomingMessage): Promise<string | null> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return null;
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) return null;
  }
  return new URLSearchParams(body).get('csrf');
}

/**
 * Whether this request may have an export's private columns: with an Authorization header, yes;
 * with the cookie only, a POST whose `csrf` field is the session's export token.
 */
export function privateExportAllowed(req: IncomingMessage, cookieToken: string | null, csrf: string | null): boolean {
  const authorization = req.headers.authorization;
  if (tokenFromAuthorization(Array.isArray(authorization) ? authorization[0] : authorization)) return true;
  if (req.method !== 'POST' || !cookieToken || !csrf) return false;
  const expected = Buffer.from(exportToken(cookieToken));
  const given = Buffer.from(csrf);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
