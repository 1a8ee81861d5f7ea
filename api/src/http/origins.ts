// Which browser origins may call the API with the user's cookie: those listed in
// ALLOWED_ORIGINS and the API's own. One rule for the CORS grant on HTTP, the refusal of
// a foreign page's request before it runs, and the WebSocket upgrade.
import type { Config } from '../config.ts';

/** No Origin header (not a browser, or a same-origin GET) is allowed: the rule is about foreign pages. */
export function originAllowed(config: Pick<Config, 'ALLOWED_ORIGINS'>, origin: string | null | undefined, host: string | null | undefined): boolean {
  if (origin == null) return true;
  return config.ALLOWED_ORIGINS.includes(origin) || sameHost(origin, host);
}

function sameHost(origin: string, host: string | null | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
