// The app's log, black-box: the server writes JSON lines to a destination the test reads. Every
// request has an id (the caller's X-Request-Id when well formed) returned in the response and
// carried by its lines; an operation's line names it, its viewer (by id) and its outcome; a
// typed failure is logged without a stack, an unexpected one with its stack, once; and no
// e-mail address, phone number, address, password, token or cookie reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
type Line = Record<string, any>;

let s: TestServer;
const raw: string[] = [];
const lines = () => raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const PASSWORD = 'correct horse battery';

/** POST /graphql with headers of our choosing; the response and the request id it came back with. */
async function post(api: Api, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId: res.headers.get('x-request-id'), body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] } };
}

let admin: Api;
let volunteer: Api & { userId: string };
let need: { id: string };
const secrets: string[] = [];

beforeAll(async () => {
  s = await startServer({ LOG_LEVEL: 'info' }, { logDestination: { write: (l: string) => void raw.push(l) } });
  admin = await adminClient(s.url, s.app.services.prisma);
  const community = await createCommunity(admin);
  const coordinator = await member(s.url, admin, community, 'COORDINATOR');
  volunteer = await member(s.url, admin, community, 'VOLUNTEER');
  need = await createNeed(coordinator, community, { requesterPhone: '+972-52-765-4321', address: '7 Rothschild Blvd, Sderot' });
  const emails = (await s.app.services.prisma.user.findMany({ select: { email: true } })).map((u) => u.email);
  secrets.push(...emails, PASSWORD, '765-4321', '527654321', 'Rothschild', admin.token!, coordinator.token!, volunteer.token!);
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

describe('the log of requests and operations', () => {
  it('is JSON lines only', () => {
    expect(raw.length).toBeGreaterThan(10);
    expect(() => lines()).not.toThrow();
  });

  it('logs a typed FORBIDDEN with the request id, operation and viewer id, and no stack', async () => {
    const { requestId, body } = await post(volunteer, `query PeekPrivate($id: ID!) { need(id: $id) { id privateDetails { address } } }`, { id: need.id }, {
      'x-request-id': 'req-forbidden-0001',
      cookie: `mab_session=${volunteer.token}; theme=dark`,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(requestId).toBe('req-forbidden-0001');
    const mine = lines().filter((l) => l.requestId === 'req-forbidden-0001');
    const op = mine.find((l) => l.msg === 'graphql operation');
    expect(op).toMatchObject({ level: 30, operation: 'PeekPrivate', type: 'query', transport: 'http', viewerId: uuidOf(volunteer.userId), outcome: 'FORBIDDEN', errorCodes: ['FORBIDDEN'] });
    expect(op!.durationMs).toEqual(expect.any(Number));
    expect(mine.find((l) => l.msg === 'http request')).toMatchObject({ level: 30, method: 'POST', path: '/graphql', status: 200, operation: 'PeekPrivate', viewerId: uuidOf(volunteer.userId) });
    expect(JSON.stringify(mine)).not.toMatch(/"err"|stack|\bat \S+ \(/);
  });

  it('logs an unexpected error once, at error, with its stack, the request id, operation and viewer; the client sees it masked', async () => {
    const adminId = uuidOf((await admin.ok(`{ me { id } }`)).me.id);
    // A table gone from under the API (a botched manual change): a real bug-shaped failure, not a typed one.
    await s.app.services.prisma.$executeRawUnsafe(`ALTER TABLE "Partnership" RENAME TO "PartnershipAway"`);
    try {
      const { requestId, body } = await post(admin, `query Partnerships { partnerships { id } }`, {}, { 'x-request-id': 'req-unexpected-0001' });
      expect(requestId).toBe('req-unexpected-0001');
      expect(body.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(body)).not.toMatch(/PartnershipAway|stack|prisma/i);
    } finally {
      await s.app.services.prisma.$executeRawUnsafe(`ALTER TABLE "PartnershipAway" RENAME TO "Partnership"`);
    }
    const mine = lines().filter((l) => l.requestId === 'req-unexpected-0001');
    const failures = mine.filter((l) => l.err);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, operation: 'Partnerships', type: 'query', viewerId: adminId, outcome: 'unexpected' });
    expect(failures[0]!.err.stack).toMatch(/\n\s+at /);
    expect(mine.find((l) => l.msg === 'http request')).toMatchObject({ status: 200, operation: 'Partnerships' });
  });

  it('makes a request id when the caller sends none or a malformed one, and gives WebSocket operations one each', async () => {
    for (const header of [{}, { 'x-request-id': 'bad id with spaces' }]) {
      const { requestId } = await post(volunteer, `query Mine { me { id } }`, {}, header);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines().find((l) => l.requestId === requestId && l.msg === 'graphql operation')).toMatchObject({ operation: 'Mine', outcome: 'ok' });
    }
    const client = volunteer.ws();
    const watch = collect(client, `subscription Watch($id: ID!) { needChanged(id: $id) { id } }`, { id: need.id }, () => true, 30_000);
    watch.done.catch(() => {});
    const started = () => lines().find((l) => l.operation === 'Watch' && l.msg === 'graphql subscription started');
    // The subscription is set up before any event; its line is there once the client has subscribed.
    await expect.poll(started, { timeout: 10_000 }).toBeTruthy();
    expect(started()).toMatchObject({ transport: 'ws', viewerId: uuidOf(volunteer.userId), outcome: 'ok', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    watch.dispose();
    await client.dispose();
  });

  it('holds no e-mail address, phone number, address, password, token or cookie anywhere', () => {
    const text = raw.join('');
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    expect(text).not.toMatch(/mab_session|@example\.org|authorization|bearer /i);
  });
});
