// Model-based test of the claim lifecycle: random sequences of claim, release, start,
// complete, extend, cancel and reopen by several volunteers on needs with several slots, each
// run against the real API and against a reference model a few lines long. After every
// command the outcome (success, or the exact error code) and the need's status and open
// slots must agree with the model; after every run the database invariants must hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { consistencyViolations } from '../helpers/consistency.ts';
import { missingAcknowledged } from '../helpers/workload.ts';

const VOLUNTEERS = 3;
const MAX_ACTIVE = 2;
const SLOTS = [1, 2, 3];
const RUNS = Number(process.env.MODEL_RUNS ?? 40);

type NeedStatus = 'OPEN' | 'CLAIMED' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED';
type ClaimStatus = 'ACTIVE' | 'STARTED' | 'COMPLETED' | 'RELEASED';
type ModelClaim = { volunteer: number; status: ClaimStatus; id?: string };
type ModelNeed = { slots: number; status: NeedStatus; claims: ModelClaim[] };
type Model = { needs: ModelNeed[] };
type Real = { needIds: string[] };

const live = (c: ModelClaim) => c.status === 'ACTIVE' || c.status === 'STARTED';

/** The need's status as the domain derives it from its live claims. */
function settle(n: ModelNeed, done = false) {
  const claims = n.claims.filter(live);
  if (done) n.status = 'DONE';
  else if (claims.some((c) => c.status === 'STARTED')) n.status = 'IN_PROGRESS';
  else n.status = claims.length >= n.slots ? 'CLAIMED' : 'OPEN';
}

let s: TestServer;
let coordinator: Api;
let volunteers: Api[];
let community: string;
const tally: Record<string, number> = {};

beforeAll(async () => {
  s = await startServer({ MAX_ACTIVE_CLAIMS: String(MAX_ACTIVE) });
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  volunteers = [];
  for (let i = 0; i < VOLUNTEERS; i++) volunteers.push(await member(s.url, admin, community, 'VOLUNTEER', `modeller${i}`));
});
afterAll(async () => {
  console.log(`[claim model] ${RUNS} runs; outcomes ${JSON.stringify(tally)}`);
  await s?.stop();
});

/** Runs the mutation; returns 'ok' (and the data) or the error code. */
async function attempt(api: Api, query: string, variables: Record<string, unknown>): Promise<{ outcome: string; data?: any }> {
  const r = await api.gql(query, variables);
  if (r.errors?.length) return { outcome: r.errors[0]!.extensions?.code ?? `untyped: ${r.errors[0]!.message}` };
  return { outcome: 'ok', data: r.data };
}

async function expectNeed(real: Real, model: Model, i: number, label: string) {
  const r = await coordinator.ok(`query($id: ID!) { need(id: $id) { status openSlots } }`, { id: real.needIds[i] });
  const n = model.needs[i]!;
  // A done or cancelled need has no place left to take, whatever its claims.
  const closed = n.status === 'DONE' || n.status === 'CANCELLED';
  expect(r.need, label).toEqual({ status: n.status, openSlots: closed ? 0 : Math.max(0, n.slots - n.claims.filter(live).length) });
}

function record(label: string, outcome: string) {
  const key = `${label}:${outcome}`;
  tally[key] = (tally[key] ?? 0) + 1;
}

class Claim implements fc.AsyncCommand<Model, Real> {
  constructor(readonly v: number, readonly n: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const need = m.needs[this.n]!;
    const held = m.needs.flatMap((x) => x.claims).filter((c) => c.volunteer === this.v && live(c)).length;
    const expected = !['OPEN', 'CLAIMED', 'IN_PROGRESS'].includes(need.status)
      ? 'ILLEGAL_TRANSITION'
      : need.claims.filter(live).length >= need.slots
        ? 'CLAIM_CONFLICT'
        : need.claims.some((c) => c.volunteer === this.v && live(c))
          ? 'ALREADY_CLAIMED'
          : held >= MAX_ACTIVE
            ? 'CLAIM_LIMIT'
            : 'ok';
    const got = await attempt(volunteers[this.v]!, `mutation($id: ID!) { claimNeed(needId: $id) { claim { id status } } }`, { id: r.needIds[this.n] });
    record('claim', got.outcome);
    expect(got.outcome, this.toString()).toBe(expected);
    if (got.outcome === 'ok') {
      need.claims.push({ volunteer: this.v, status: 'ACTIVE', id: got.data.claimNeed.claim.id });
      settle(need);
    }
    await expectNeed(r, m, this.n, this.toString());
  }
  toString = () => `claim(v${this.v}, n${this.n})`;
}

/** An action on the k-th claim (in creation order) the volunteer has ever had on the need. */
class ClaimAction implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: 'release' | 'start' | 'complete' | 'extend', readonly v: number, readonly n: number, readonly k: number) {}
  check = (m: Readonly<Model>) => m.needs[this.n]!.claims.some((c) => c.volunteer === this.v);
  async run(m: Model, r: Real) {
    const need = m.needs[this.n]!;
    const mine = need.claims.filter((c) => c.volunteer === this.v);
    const claim = mine[this.k % mine.length]!;
    const from: Record<typeof this.action, ClaimStatus[]> = { release: ['ACTIVE', 'STARTED'], start: ['ACTIVE'], complete: ['STARTED'], extend: ['ACTIVE'] };
    const expected = from[this.action].includes(claim.status) ? 'ok' : 'ILLEGAL_TRANSITION';
    const got = await attempt(volunteers[this.v]!, `mutation($id: ID!) { ${this.action}Claim(claimId: $id) { claim { status } } }`, { id: claim.id });
    record(this.action, got.outcome);
    expect(got.outcome, this.toString()).toBe(expected);
    if (got.outcome === 'ok') {
      if (this.action === 'release') claim.status = 'RELEASED';
      if (this.action === 'start') claim.status = 'STARTED';
      if (this.action === 'complete') claim.status = 'COMPLETED';
      settle(need, this.action === 'complete' && !need.claims.some(live));
      expect(got.data[`${this.action}Claim`].claim.status, this.toString()).toBe(claim.status);
    }
    await expectNeed(r, m, this.n, this.toString());
  }
  toString = () => `${this.action}(v${this.v}, n${this.n}, #${this.k})`;
}

class NeedAction implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: 'cancel' | 'reopen', readonly n: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const need = m.needs[this.n]!;
    const allowed = this.action === 'cancel' ? ['OPEN', 'CLAIMED', 'IN_PROGRESS'] : ['CANCELLED', 'DONE'];
    const expected = allowed.includes(need.status) ? 'ok' : 'ILLEGAL_TRANSITION';
    const got = await attempt(coordinator, `mutation($id: ID!) { ${this.action}Need(id: $id) { need { status } } }`, { id: r.needIds[this.n] });
    record(this.action, got.outcome);
    expect(got.outcome, this.toString()).toBe(expected);
    if (got.outcome === 'ok') {
      if (this.action === 'cancel') {
        for (const c of need.claims.filter(live)) c.status = 'RELEASED';
        need.status = 'CANCELLED';
      } else {
        need.status = 'OPEN';
      }
    }
    await expectNeed(r, m, this.n, this.toString());
  }
  toString = () => `${this.action}(n${this.n})`;
}

const volunteer = fc.nat(VOLUNTEERS - 1);
const need = fc.nat(SLOTS.length - 1);
const commands = fc.commands(
  [
    fc.tuple(volunteer, need).map(([v, n]) => new Claim(v, n)),
    fc.tuple(fc.constantFrom('release', 'start', 'complete', 'extend') as fc.Arbitrary<'release' | 'start' | 'complete' | 'extend'>, volunteer, need, fc.nat(3)).map(
      ([a, v, n, k]) => new ClaimAction(a, v, n, k),
    ),
    fc.tuple(volunteer, need, fc.nat(3)).map(([v, n, k]) => new ClaimAction('start', v, n, k)),
    fc.tuple(volunteer, need, fc.nat(3)).map(([v, n, k]) => new ClaimAction('complete', v, n, k)),
    fc.tuple(fc.constantFrom('cancel', 'reopen') as fc.Arbitrary<'cancel' | 'reopen'>, need).map(([a, n]) => new NeedAction(a, n)),
  ],
  { maxCommands: 40, size: 'max' },
);

describe('the claim lifecycle against a reference model', () => {
  it(`${RUNS} random command sequences agree with the model, and leave the database consistent`, async () => {
    const query = (sql: string, params: unknown[] = []) => s.app.services.prisma.$queryRawUnsafe<any[]>(sql, ...params);
    const communityUuid = Buffer.from(community, 'base64').toString().split(':')[1]!;
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const needIds: string[] = [];
        for (const slots of SLOTS) needIds.push((await createNeed(coordinator, community, { slots, title: `model ${slots}` })).id);
        const model: Model = { needs: SLOTS.map((slots) => ({ slots, status: 'OPEN', claims: [] })) };
        try {
          await fc.asyncModelRun(() => ({ model, real: { needIds } }), cmds);
          expect(await consistencyViolations(query, communityUuid)).toEqual([]);
        } finally {
          // Free the volunteers' claim allowance for the next run.
          for (const id of needIds) await coordinator.gql(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id });
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.MODEL_SEED ?? 42), endOnFailure: true },
    );
    // The runs explored the interesting outcomes, not only the happy path.
    for (const outcome of ['claim:ok', 'claim:CLAIM_CONFLICT', 'claim:ALREADY_CLAIMED', 'claim:CLAIM_LIMIT', 'claim:ILLEGAL_TRANSITION', 'complete:ok', 'start:ILLEGAL_TRANSITION', 'reopen:ok', 'cancel:ok', 'release:ok', 'extend:ok']) {
      expect(tally[outcome] ?? 0, outcome).toBeGreaterThan(0);
    }
  }, 180_000);
});

describe('the checks the fault tests rely on can fail', () => {
  it('a half-written need and an acknowledged change without its event are reported', async () => {
    const query = (sql: string, params: unknown[] = []) => s.app.services.prisma.$queryRawUnsafe<any[]>(sql, ...params);
    const communityUuid = Buffer.from(community, 'base64').toString().split(':')[1]!;
    const need = await createNeed(coordinator, community, { title: 'to be corrupted' });
    const needId = Buffer.from(need.id, 'base64').toString().split(':')[1]!;
    expect(await consistencyViolations(query, communityUuid)).toEqual([]);
    // A claim count out of step with the claims (what a half-applied claim would leave).
    await s.app.services.prisma.need.update({ where: { id: needId }, data: { activeClaims: { increment: 1 } } });
    const violations = await consistencyViolations(query, communityUuid);
    expect(violations.join('\n')).toMatch(/activeClaims differs/);
    await s.app.services.prisma.need.update({ where: { id: needId }, data: { activeClaims: { decrement: 1 } } });
    // An acknowledged claim whose CLAIMED event is not in the database.
    expect(await missingAcknowledged(query, [{ op: 'claimNeed', event: 'CLAIMED', needId, claimId: '00000000-0000-4000-8000-000000000000' }])).toHaveLength(1);
    expect(await missingAcknowledged(query, [{ op: 'createNeed', event: 'CREATED', needId }])).toEqual([]);
  });
});
