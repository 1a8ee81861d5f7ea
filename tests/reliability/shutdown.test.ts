// Graceful shutdown of a real API process: SIGTERM while 20 mutations are in flight — sign-ups
// whose bodies are still arriving, so that they are in flight for certain — and 20 more are
// being sent (password hashing keeps them busy). Every one gets its HTTP answer, none is reset:
// the 20 held ones are done, the others done or refused with a typed 503; meanwhile new
// requests get 503 with Retry-After, new WebSockets are refused and new operations on open ones
// get SHUTTING_DOWN; once nothing is in flight the open socket is closed with 1001 and a
// reason, and the process exits 0. On PostgreSQL + Redis it is one of two API processes (as
// behind the load balancer of deploy/): the other keeps serving throughout, its sockets stay
// open, and every sign-up the stopping one answered is there, signed into on the other. On the
// embedded database (one process owns it) the process is alone.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { openAcknowledged, openRawSocket } from '../helpers/rawWs.ts';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import { redisServerAvailable } from '../helpers/redisServer.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { Api } from '../helpers/client.ts';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const emailOf = (i: number) => `drain-${process.pid}-${i}@example.org`;
const signUpBody = (i: number) => JSON.stringify({ query: SIGN_UP, variables: { input: { email: emailOf(i), name: `Drain ${i}`, password: 'correct horse battery' } } });

type Answer = { status: number; retryAfter?: string; body: any };

/** A POST /graphql whose body is sent in two parts: in flight until `finish()` sends the rest. */
function heldRequest(url: string, body: string) {
  const u = new URL('/graphql', url);
  const half = Math.floor(body.length / 2);
  let answered!: Promise<Answer>;
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  answered = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, half));
  return { answered, finish: () => req.end(body.slice(half)) };
}

async function post(url: string, body: string): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await res.json() };
}

describe('graceful shutdown on SIGTERM', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  /** The other process of the pair (PostgreSQL + Redis), or null on the embedded database. */
  let pair: ApiPair | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { ...db.env, MIGRATE_ON_START: '1', SHUTDOWN_GRACE_MS: '120000', LOG_LEVEL: 'info' };
    if (db.kind === 'postgres' && redisServerAvailable) {
      pair = await startApiPair(env);
      api = pair.a;
    } else api = await spawnApi(env);
  }, 120_000);
  afterAll(async () => {
    if (api?.child.exitCode === null) await api.stop('SIGKILL');
    await pair?.stop();
    await db?.drop();
  });

  it('answers all 20 in-flight mutations (and those sent around the signal), refuses new work, closes sockets with 1001, exits 0', async () => {
    const wsUrl = api.url.replace('http', 'ws') + '/graphql';
    const socket = await openAcknowledged(wsUrl);
    const onOther = pair && (await openAcknowledged(pair.b.url.replace('http', 'ws') + '/graphql'));
    const held = Array.from({ length: 20 }, (_, i) => heldRequest(api.url, signUpBody(100 + i)));
    // The held requests' headers went out before this one: once it is answered, the server has them.
    expect((await fetch(`${api.url}/health`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
    const inFlight = Array.from({ length: 20 }, (_, i) => post(api.url, signUpBody(i)));
    await Promise.race(inFlight); // they are reaching the server
    process.kill(api.pid, 'SIGTERM');

    // Draining (the held request keeps the process up): new requests get 503 with Retry-After.
    let refused: Response;
    for (;;) {
      refused = await fetch(`${api.url}/health`);
      if (refused.status === 503) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).errors[0].extensions.code).toBe('SHUTTING_DOWN');
    // The other process serves meanwhile.
    if (pair) expect((await fetch(`${pair.b.url}/ready`)).status).toBe(200);
    const late = await openRawSocket(wsUrl);
    expect(late).toEqual({ refused: true, status: 503 });
    // A new operation on a socket opened before is refused too, typed.
    socket.send({ id: 'late', type: 'subscribe', payload: { query: SIGN_UP, variables: JSON.parse(signUpBody(-1)).variables } });
    const frame = await socket.waitFor((f) => f.id === 'late' && (f.type === 'next' || f.type === 'error'));
    expect((frame.payload.errors ?? frame.payload)[0].extensions.code).toBe('SHUTTING_DOWN');

    // Every in-flight mutation is answered over HTTP: done, or refused with a typed error.
    const answers = await Promise.all(inFlight);
    for (const a of answers) {
      if (a.status === 200) expect(a.body.data?.signUp?.user?.id ?? a.body.errors?.[0]?.extensions?.code).toBeTruthy();
      else expect([a.status, a.body.errors?.[0]?.extensions?.code]).toEqual([503, 'SHUTTING_DOWN']);
    }
    const done = answers.filter((a) => a.body.data?.signUp).length;

    // The 20 held since before the signal finish sending, and are done.
    for (const h of held) h.finish();
    for (const answer of await Promise.all(held.map((h) => h.answered))) {
      expect(answer.status).toBe(200);
      expect(answer.body.data.signUp.user.id).toBeTruthy();
    }
    const lastAnswered = Date.now();

    expect(await socket.closed).toEqual({ code: 1001, reason: 'server shutting down: reconnect' });
    expect(await exited).toBe(0);
    console.log(
      `[shutdown] ${db.kind}${pair ? ', two API processes + Redis' : ''}: of 20 sign-ups sent around the SIGTERM ${done} done, ${answers.filter((a) => a.status === 503).length} refused with 503; ` +
        `the 20 held in flight all answered 200; exit 0 ${Date.now() - lastAnswered} ms after the last answer`,
    );
    expect(api.output()).toMatch(/shutdown: nothing in flight/);

    if (pair && onOther) {
      // The other process: still serving, its socket untouched, and what the stopped one
      // answered is in the database, usable there.
      expect(onOther.ws.readyState).toBe(onOther.ws.OPEN);
      const query = pgQuery(db.env.DATABASE_URL!);
      try {
        const doneEmails = [...answers.flatMap((a, i) => (a.body.data?.signUp ? [emailOf(i)] : [])), ...held.map((_, i) => emailOf(100 + i))];
        const stored = await query(`SELECT email FROM "User" WHERE email = ANY($1)`, [doneEmails]);
        expect(stored).toHaveLength(doneEmails.length);
      } finally {
        await query.end();
      }
      await new Api(pair.b.url).signIn(emailOf(100), 'correct horse battery');
      onOther.close();
    }
  }, 180_000);
});
