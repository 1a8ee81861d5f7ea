// Event ordering without a global lock (issue 16). Writers append need events without waiting for
// each other and commit in any order; the sequencer numbers committed events after the fact
// (api/src/events/outbox.ts). The proof: many concurrent units of work, each writing events with
// random pauses before its commit, some rolling back, while a live subscriber reads; the reader
// must see every committed event exactly once, with dense cursors (no gap: seq N + 1 follows N),
// no event of a rolled-back unit, and each unit's events in the order it wrote them. Before, every
// writer took one advisory lock until its commit: writes were serialised deployment-wide, and a
// rolled-back write left a hole in the sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { commit } from '../../api/src/events/unitOfWork.ts';
import type { StreamEvent } from '../../api/src/events/stream.ts';
import { latestSeq } from '../../api/src/events/outbox.ts';
import { requires, postgresServer } from '../helpers/skips.ts';

let s: TestServer;
let community: string;
const needs: string[] = [];
const uuid = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1]!;

beforeAll(async () => {
  // A small pool would serialise the writers in the client, not in the database.
  s = await startServer({ DATABASE_POOL_MAX: '20' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  const coordinator = await member(s.url, admin, community, 'COORDINATOR');
  for (let i = 0; i < 6; i++) needs.push(uuid((await createNeed(coordinator, community)).id));
});
afterAll(async () => s?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One unit of work writing `count` events (marked writer/k), pausing at random before each write and before its commit. */
function writer(i: number, count: number, rollback: boolean) {
  const services = s.app.services;
  return commit(services, async (_tx, w) => {
    for (let k = 0; k < count; k++) {
      await sleep(Math.random() * 25);
      await w.event({
        needId: needs[i % needs.length]!,
        communityId: uuid(community),
        type: 'UPDATED',
        fromStatus: 'OPEN',
        toStatus: 'OPEN',
        actorId: null,
        at: services.clock.now(),
        payload: { writer: i, k },
      });
    }
    await sleep(Math.random() * 40);
    if (rollback) throw new Error(`writer ${i} rolls back`);
  }).then(
    () => 'committed' as const,
    (err: Error) => {
      if (!err.message.includes('rolls back')) throw err;
      return 'rolled back' as const;
    },
  );
}

describe('event ordering without a global lock', () => {
  it('concurrent writers with random delays before commit: the reader sees every committed event once, gap-free, in each writer’s order', { timeout: 120_000 }, async () => {
    const stream = s.app.services.stream;
    const start = (await latestSeq(s.app.services.prisma)) ?? 0n;
    const seen: StreamEvent[] = [];
    const live = stream.subscribe({ communityIds: [uuid(community)] }, start);
    const WRITERS = 40;
    const PER_WRITER = 3;
    const outcomes = await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i, PER_WRITER, i % 7 === 3)));
    const committed = outcomes.filter((o) => o === 'committed').length;
    expect(committed).toBe(WRITERS - Math.ceil((WRITERS - 3) / 7));
    // A late reader resuming from the first one's start must see the same stream.
    for await (const e of live) {
      seen.push(e);
      if (seen.length === committed * PER_WRITER) break;
    }
    const late: StreamEvent[] = [];
    for await (const e of stream.subscribe({ communityIds: [uuid(community)] }, start)) {
      late.push(e);
      if (late.length === seen.length) break;
    }

    const seqs = seen.map((e) => e.seq);
    // Dense and increasing: each cursor is the previous one plus one (no gap, no duplicate).
    expect(seqs).toEqual(seqs.map((_, i) => start + 1n + BigInt(i)));
    expect(late.map((e) => e.seq)).toEqual(seqs);
    const marks = seen.map((e) => e.payload as { writer: number; k: number });
    // No event of a rolled-back unit; every event of a committed one, in the order it wrote them.
    for (let i = 0; i < WRITERS; i++) {
      const own = marks.filter((m) => m.writer === i).map((m) => m.k);
      expect(own, `writer ${i}`).toEqual(outcomes[i] === 'committed' ? [0, 1, 2] : []);
    }
    // Nothing stored is left without its place in the stream.
    expect(await s.app.services.prisma.needEvent.count({ where: { seq: null } })).toBe(0);
  });

});

describe('writers in parallel (PostgreSQL: PGlite has one connection)', requires(postgresServer), () => {
  it('an event-writing transaction commits while another is still open', { timeout: 60_000 }, async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const services = s.app.services;
    const event = (i: number) => ({ needId: needs[i]!, communityId: uuid(community), type: 'UPDATED' as const, fromStatus: 'OPEN' as const, toStatus: 'OPEN' as const, actorId: null, at: services.clock.now(), payload: { open: i } });
    let inserted!: () => void;
    const firstInserted = new Promise<void>((r) => (inserted = r));
    const first = commit(services, async (_tx, w) => {
      await w.event(event(0));
      inserted();
      // Held open until the second has committed, or (on code that serialises writers, where the
      // second cannot commit first) until a deadlock breaker lets the test fail instead of hang.
      await Promise.race([held, sleep(4_000).then(() => order.push('deadlock breaker'))]);
      order.push('first commits');
    });
    await firstInserted;
    await commit(services, async (_tx, w) => {
      await w.event(event(1));
    });
    order.push('second committed');
    release();
    await first;
    expect(order).toEqual(['second committed', 'first commits']);
    // The second's event was numbered before the first's, which committed later.
    const [a, b] = await Promise.all(
      [0, 1].map((i) => services.prisma.needEvent.findFirstOrThrow({ where: { payload: { equals: { open: i } } }, select: { seq: true, id: true } })),
    );
    expect(a!.id).toBeLessThan(b!.id);
    expect(a!.seq!).toBeGreaterThan(b!.seq!);
  });
});
