// Sign-in limits that cannot be turned against users ("Attack surface"): sign-in has its own
// quota, apart from the anonymous mutation quota, so an operations centre behind one address
// signs all its volunteers in; wrong passwords make only that (e-mail, address) pair wait, with
// growing delays, so an attacker cannot lock the owner out by knowing the e-mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { hashPassword } from '../../api/src/auth/passwords.ts';

const PASSWORD = 'correct horse battery';
const MUTATIONS_PER_MINUTE = 120;
const FAILURES_PER_PAIR = 10;

let s: TestServer;

beforeAll(async () => {
  s = await startServer({
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: String(MUTATIONS_PER_MINUTE),
    RATE_LIMIT_SIGNIN_FAILURES_PER_PAIR: String(FAILURES_PER_PAIR),
    // Long enough that no wait runs out during the test.
    RATE_LIMIT_SIGNIN_DELAY_SECONDS: '60',
    RATE_LIMIT_SIGNIN_MAX_DELAY_SECONDS: '7200',
  });
});
afterAll(async () => s?.stop());

type Outcome = { code?: string; retryAfterSeconds?: number; token?: string };

async function gql(address: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
}

async function signIn(address: string, email: string, password: string): Promise<Outcome> {
  const r = await gql(address, `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: email, p: password });
  const ext = r.errors?.[0]?.extensions;
  return { code: ext?.code, retryAfterSeconds: ext?.retryAfterSeconds, token: r.data?.signIn?.token };
}

async function accounts(prefix: string, n: number): Promise<string[]> {
  const passwordHash = await hashPassword(PASSWORD);
  const emails = Array.from({ length: n }, (_, i) => `${prefix}-${i}@example.org`);
  await s.app.services.prisma.user.createMany({ data: emails.map((email, i) => ({ email, name: `${prefix} ${i}`, passwordHash })) });
  return emails;
}

async function wrongTimes(address: string, email: string, n: number) {
  for (let i = 0; i < n; i++) expect((await signIn(address, email, 'wrong password!')).code).toBe('INVALID_CREDENTIALS');
}

describe('sign-in has its own quota', () => {
  it('150 volunteers sign in from one address while anonymous mutations keep their quota', async () => {
    const centre = '198.51.100.10';
    const emails = await accounts('centre', 150);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < emails.length; i += 10) outcomes.push(...(await Promise.all(emails.slice(i, i + 10).map((e) => signIn(centre, e, PASSWORD)))));
    expect(outcomes.filter((o) => o.code)).toEqual([]);
    expect(outcomes.every((o) => o.token)).toBe(true);

    // The anonymous mutation quota of that address is whole, and still enforced.
    const codes: (string | undefined)[] = [];
    for (let i = 0; i <= MUTATIONS_PER_MINUTE; i++) codes.push((await gql(centre, `mutation { signOut }`)).errors?.[0]?.extensions?.code);
    expect(codes.slice(0, MUTATIONS_PER_MINUTE).every((c) => c === undefined)).toBe(true);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    // Only a mutation of nothing but sign-ins skips that quota; one that does more spends it.
    expect((await signIn(centre, emails[0]!, PASSWORD)).token).toBeTruthy();
    const mixed = await gql(centre, `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } signOut }`, { e: emails[0], p: PASSWORD });
    expect(mixed.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

describe('wrong passwords make only their (e-mail, address) wait', () => {
  it('the owner signs in from elsewhere; the attacker waits longer with each attempt', async () => {
    const [owner] = await accounts('owner', 1);
    const attacker = '203.0.113.66';
    await wrongTimes(attacker, owner!, FAILURES_PER_PAIR);

    // The owner, from home, is not made to wait.
    const home = await signIn('192.0.2.20', owner!, PASSWORD);
    expect(home.code).toBeUndefined();
    expect(home.token).toBeTruthy();

    // The attacker's address waits, ever longer, even with the right password (unchecked).
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const o = await signIn(attacker, owner!, i === 2 ? PASSWORD : 'wrong password!');
      expect(o.code).toBe('RATE_LIMITED');
      waits.push(o.retryAfterSeconds!);
    }
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(waits[2]).toBeGreaterThan(waits[1]!);

    // Those refused attempts did not count against the account: the owner still signs in.
    expect((await signIn('192.0.2.21', owner!, PASSWORD)).token).toBeTruthy();
  });

  it('a successful sign-in clears the pair', async () => {
    const [user] = await accounts('forgetful', 1);
    const office = '192.0.2.30';
    await wrongTimes(office, user!, FAILURES_PER_PAIR - 1);
    expect((await signIn(office, user!, PASSWORD)).token).toBeTruthy();
    await wrongTimes(office, user!, FAILURES_PER_PAIR - 1);
    expect((await signIn(office, user!, PASSWORD)).token).toBeTruthy();
  });

  it('many addresses together meet the per-account ceiling', async () => {
    const [target] = await accounts('target', 1);
    const ceiling = s.app.services.config.RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL;
    // No address reaches its pair's threshold; together they reach the account's ceiling.
    for (let a = 0, left = ceiling; left > 0; a++, left -= FAILURES_PER_PAIR - 1) {
      await wrongTimes(`203.0.113.${100 + a}`, target!, Math.min(left, FAILURES_PER_PAIR - 1));
    }
    const o = await signIn('192.0.2.40', target!, PASSWORD);
    expect(o.code).toBe('RATE_LIMITED');
    expect(o.retryAfterSeconds).toBeGreaterThan(0);
  });
});
