// Rate limits, session expiry on a live socket, and the slow-consumer guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';

let s: TestServer;

beforeAll(async () => {
  s = await startServer({
    RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL: '3',
    RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '8',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '20',
  });
});
afterAll(async () => s?.stop());

describe('rate limits', () => {
  it('locks an e-mail out after repeated wrong passwords, even with the right one', async () => {
    const api = new Api(s.url);
    await api.signUp('target@example.org');
    const signIn = (p: string) => new Api(s.url).gql(`mutation($p: String!) { signIn(email: "target@example.org", password: $p) { token } }`, { p });
    for (let i = 0; i < 3; i++) expect((await signIn('wrong password!')).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const locked = await signIn('correct horse battery');
    expect(locked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(locked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('limits mutations per user before any resolver runs', async () => {
    const admin = await adminClient(s.url, s.app.services.prisma);
    const community = await createCommunity(admin);
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await v.gql(`mutation($c: ID!) { joinCommunity(communityId: $c) { role } }`, { c: community }));
    const limited = results.filter((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(results[0]!.data?.joinCommunity?.role).toBe('VOLUNTEER');
    // Queries are not limited.
    expect((await v.gql(`{ me { name } }`)).data?.me?.name).toBeTruthy();
  });
});

describe('sessions on a live socket', () => {
  it('an expired session is closed with 4403 when it next subscribes', async () => {
    const v = new Api(s.url);
    const id = await v.signUp(`expiring-${Date.now()}@example.org`);
    const client = v.ws();
    const closed = new Promise<number>((resolve) => client.on('closed', (e: any) => resolve(e.code)));
    // A first subscription keeps the socket open (and proves the session was good).
    collect(client, `subscription { needEvents { type } }`, {}, () => false, 10_000).done.catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    await s.app.services.prisma.session.updateMany({ where: { userId: Buffer.from(id, 'base64').toString().split(':')[1]! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    collect(client, `subscription { needEvents { type } }`, {}, () => false, 5_000).done.catch(() => {});
    expect(await closed).toBe(4403);
  });
});
