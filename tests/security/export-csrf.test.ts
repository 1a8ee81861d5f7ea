// Private exports and the session cookie ("Attack surface"): a cross-site GET of
// /api/export/needs.csv?private=1 carries the SameSite=Lax cookie (a top-level navigation, a link
// or a redirect), and was served and logged as the victim's read of every requester's address.
// Now the cookie alone gets 403 CSRF, nothing logged; an Authorization header (a session token
// or an API key) still exports, and so does the web app's same-site POST carrying the session's
// export token (Query.exportToken), which no other site can read. Production mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';

const ADDRESS = '7 Secret Row, Sderot';
let s: TestServer;
let coordinator: Api;
let community: string;

beforeAll(async () => {
  s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  await createNeed(coordinator, community, { address: ADDRESS });
});
afterAll(async () => s?.stop());

const cookie = () => `ma_session=${encodeURIComponent(coordinator.token!)}`;
const path = '/api/export/needs.csv?private=1';
const reads = () => s.app.services.prisma.privateAccessLog.count();

describe('private exports', () => {
  it('a GET with the session cookie alone (what a cross-site link sends) is refused and logs no read', async () => {
    const before = await reads();
    // What a browser sends for a top-level navigation from another site: the Lax cookie, no Origin.
    const res = await fetch(`${s.url}${path}`, { headers: { cookie: cookie(), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('CSRF');
    expect(await reads()).toBe(before);
    // The public columns still download with the cookie: only the private ones need more.
    const open = await fetch(`${s.url}/api/export/needs.csv`, { headers: { cookie: cookie() } });
    expect(open.status).toBe(200);
    expect(await open.text()).not.toContain(ADDRESS);
  });

  it('a POST with the cookie needs the session’s export token: a wrong or missing one is refused', async () => {
    const post = (form: string) =>
      fetch(`${s.url}${path}`, { method: 'POST', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect((await post('')).status).toBe(403);
    expect((await post('csrf=forged')).status).toBe(403);
    const { exportToken } = await coordinator.ok(`{ exportToken }`);
    expect(exportToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = await reads();
    const res = await post(`csrf=${encodeURIComponent(exportToken)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(await res.text()).toContain(ADDRESS);
    expect(await reads()).toBeGreaterThan(before);
  });

  it('an Authorization header (no cookie: nothing another site can send) still exports', async () => {
    const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(ADDRESS);
  });
});
