// A mixed mutation workload (intake, claims through their whole lifecycle, edits, cancel and
// reopen) run by several concurrent workers against a server that may crash or lose its
// database mid-run. Every mutation's outcome is recorded: acknowledged (with the event it
// must have left), refused with a typed error, or failed (no answer, or a masked error),
// so a test can check afterwards that everything acknowledged is in the database.
import type { Api } from './client.ts';
import { uuidOf, type World } from './world.ts';

export type Ack = { op: string; event: string; needId: string; claimId?: string };
export type Failure = { op: string; kind: 'no-answer' | 'masked' | 'other'; message: string; code?: string; at: number; status?: number };

const NEED = `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`;
const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;
const claimOp = (name: string) => `mutation($id: ID!) { ${name}(claimId: $id) { claim { id status } } }`;

type Claim = { id: string; needId: string; status: 'ACTIVE' | 'STARTED' };

export class Workload {
  acks: Ack[] = [];
  typed: Record<string, number> = {};
  failures: Failure[] = [];
  attempted = 0;
  #needs: string[] = [];
  #stop = false;
  #gate: Promise<void> | null = null;
  #open: (() => void) | null = null;
  /** Pause after a failure, so that workers do not spin through their budget while the server is away. */
  backoffMs = 0;

  constructor(
    readonly world: World,
    /** The server's base URL now (it may change when the server is restarted on a new port). */
    readonly baseUrl: () => string,
    readonly timeoutMs = 15_000,
  ) {}

  stop() {
    this.#stop = true;
  }

  /** Calls made from now on wait until resume() (calls in flight are not held back). */
  pause() {
    this.#gate ??= new Promise((resolve) => (this.#open = resolve));
  }

  resume() {
    this.#open?.();
    this.#gate = null;
  }

  /** One mutation; resolves with its data when acknowledged, else with null (outcome recorded; typed code in `refusedWith`). */
  async call(api: Api, op: string, query: string, variables: Record<string, unknown>, refusedWith: { code?: string } = {}): Promise<any | null> {
    if (this.#gate) await this.#gate;
    this.attempted++;
    const failed = () => this.backoffMs && new Promise((r) => setTimeout(r, this.backoffMs));
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      this.failures.push({ op, kind: 'no-answer', message: String((err as Error).cause ?? err), at: Date.now() });
      await failed();
      return null;
    }
    let body: any;
    try {
      body = await res.json();
    } catch (err) {
      this.failures.push({ op, kind: 'no-answer', message: `unreadable response (${res.status}): ${err}`, at: Date.now(), status: res.status });
      await failed();
      return null;
    }
    const error = body.errors?.[0];
    if (!error) return body.data;
    const code = error.extensions?.code as string | undefined;
    if (code && code !== 'INTERNAL_SERVER_ERROR' && code !== 'SERVICE_UNAVAILABLE') {
      this.typed[code] = (this.typed[code] ?? 0) + 1;
      refusedWith.code = code;
      return null;
    }
    this.failures.push({ op, kind: code ? 'masked' : 'other', message: error.message, code, at: Date.now(), status: res.status });
    await failed();
    return null;
  }

  /** Runs `total` mutations over the world's volunteers (one worker each) and its coordinator. */
  async run(total: number, onProgress?: (done: number) => void): Promise<void> {
    let done = 0;
    const { coordinator, community } = this.world;
    const next = () => {
      if (this.#stop || done >= total) return false;
      done++;
      onProgress?.(done);
      return true;
    };
    const worker = async (volunteer: Api, seed: number) => {
      let rnd = seed * 7919 + 1;
      const random = () => ((rnd = (rnd * 48271) % 2147483647) / 2147483647);
      const mine: Claim[] = [];
      while (next()) {
        const r = random();
        if (this.#needs.length < 4 || r < 0.18) {
          const d = await this.call(coordinator, 'createNeed', NEED, {
            input: { communityId: community, title: `Load ${seed}-${done}`, category: 'FOOD', urgency: 'HIGH', slots: 1 + Math.floor(random() * 3), lat: 31.52, lng: 34.59, address: '1 Load St', requesterName: 'Load' },
          });
          if (d) {
            const needId = d.createNeed.need.id;
            this.#needs.push(needId);
            this.acks.push({ op: 'createNeed', event: 'CREATED', needId: uuidOf(needId) });
          }
        } else if (r < 0.24) {
          const needId = this.#needs[Math.floor(random() * this.#needs.length)]!;
          const [op, event, query] =
            random() < 0.5
              ? ['updateNeed', 'UPDATED', `mutation($id: ID!) { updateNeed(id: $id, input: { urgency: CRITICAL }) { need { id } } }`]
              : random() < 0.6
                ? ['cancelNeed', 'CANCELLED', `mutation($id: ID!) { cancelNeed(id: $id, reason: "load") { need { id } } }`]
                : ['reopenNeed', 'REOPENED', `mutation($id: ID!) { reopenNeed(id: $id) { need { id } } }`];
          if (await this.call(coordinator, op, query, { id: needId })) this.acks.push({ op, event, needId: uuidOf(needId) });
        } else if (mine.length === 0 || r < 0.5) {
          const needId = this.#needs[Math.floor(random() * this.#needs.length)]!;
          const d = await this.call(volunteer, 'claimNeed', CLAIM, { id: needId });
          if (d) {
            mine.push({ id: d.claimNeed.claim.id, needId, status: 'ACTIVE' });
            this.acks.push({ op: 'claimNeed', event: 'CLAIMED', needId: uuidOf(needId), claimId: uuidOf(d.claimNeed.claim.id) });
          }
        } else {
          const i = Math.floor(random() * mine.length);
          const claim = mine[i]!;
          const choice = random();
          const [op, event] =
            claim.status === 'ACTIVE'
              ? choice < 0.5 ? ['startClaim', 'STARTED'] : choice < 0.75 ? ['releaseClaim', 'RELEASED'] : ['extendClaim', 'EXTENDED']
              : choice < 0.7 ? ['completeClaim', 'COMPLETED'] : ['releaseClaim', 'RELEASED'];
          const refused: { code?: string } = {};
          const d = await this.call(volunteer, op, claimOp(op), { id: claim.id }, refused);
          if (d) {
            this.acks.push({ op, event, needId: uuidOf(claim.needId), claimId: uuidOf(claim.id) });
            const status = d[op].claim.status;
            if (status === 'ACTIVE' || status === 'STARTED') claim.status = status;
            else mine.splice(i, 1);
          } else if (refused.code === 'ILLEGAL_TRANSITION' || refused.code === 'NOT_FOUND') {
            // The claim moved on without us (need cancelled, or our own lost acknowledgement): forget it.
            mine.splice(i, 1);
          }
        }
      }
    };
    await Promise.all(this.world.volunteers.map((v, i) => worker(v, i + 1)));
  }
}

/** Acknowledged mutations whose event the database does not have (should be none). */
export async function missingAcknowledged(query: (sql: string, params?: unknown[]) => Promise<any[]>, acks: Ack[]): Promise<Ack[]> {
  const events = await query(
    `SELECT "needId", type::text AS type, "claimId" FROM "NeedEvent" WHERE "needId" = ANY($1::uuid[])`,
    [[...new Set(acks.map((a) => a.needId))]],
  );
  const counts = new Map<string, number>();
  const key = (needId: string, type: string, claimId?: string | null) => `${needId}|${type}|${claimId ?? ''}`;
  for (const e of events) {
    for (const k of [key(e.needId, e.type, e.claimId), key(e.needId, e.type)]) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const missing: Ack[] = [];
  for (const a of acks) {
    const k = key(a.needId, a.event, a.claimId);
    const left = counts.get(k) ?? 0;
    if (left <= 0) missing.push(a);
    else counts.set(k, left - 1);
  }
  return missing;
}
