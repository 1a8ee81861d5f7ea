// Partnerships and money, outcome indicators checked against the raw events, CSV import
// of a messy real-world file, and streamed exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from '../../api/node_modules/iconv-lite/lib/index.js';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { serverUrl } from '../helpers/db.ts';
import { spawnApi } from '../helpers/process.ts';
import { readFileSync } from 'node:fs';

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;

let s: TestServer;
let admin: Api;
let community: string;
let abroad: string;
let coordinator: Api;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin, `Kibbutz Beeri ${Date.now()}`);
  abroad = (await admin.ok(`mutation { createCommunity(input: { slug: "toronto-${Date.now()}", name: "Toronto", kind: PARTNER_ABROAD, area: "Toronto", country: "CA", centerLat: 43.65, centerLng: -79.38 }) { id } }`)).createCommunity.id;
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => {
  s.app.services.clock.reset();
  await s?.stop();
});

describe('partnerships and pledges', () => {
  it('keeps money exact, in minor units, per currency', async () => {
    const big = '900719925474099312'; // beyond 2^53: a float would round it
    const p = (await coordinator.ok(
      `mutation($il: ID!, $ab: ID!) { createPartnership(israeliCommunityId: $il, abroadCommunityId: $ab, startDate: "2024-06-01T00:00:00Z", yearlyPledgeMinor: "150000000", currency: "ILS") { id termYears endDate pledges { year amount { amountMinor currency } } } }`,
      { il: community, ab: abroad },
    )).createPartnership;
    expect(p.termYears).toBe(3);
    expect(p.endDate).toBe('2027-06-01T00:00:00.000Z');
    expect(p.pledges.map((x: any) => x.year)).toEqual([2024, 2025, 2026]);
    await coordinator.ok(`mutation($p: ID!, $a: String!) { setPledge(partnershipId: $p, year: 2025, amountMinor: $a, currency: "USD") { year } }`, { p: p.id, a: big });
    const goal = (await coordinator.ok(`mutation($c: ID!, $p: ID!) { createRecoveryGoal(communityId: $c, partnershipId: $p, title: "Rebuild the kindergarten", domain: EDUCATION, budgetMinor: "250000000", currency: "ILS") { id } }`, { c: community, p: p.id })).createRecoveryGoal;
    for (const [amount, cur] of [['33333333', 'ILS'], ['33333333', 'ILS'], ['33333334', 'ILS'], ['12', 'USD']]) {
      await coordinator.ok(`mutation($p: ID!, $a: String!, $c: String!, $g: ID) { recordDisbursement(partnershipId: $p, amountMinor: $a, currency: $c, goalId: $g) { id } }`, { p: p.id, a: amount, c: cur, g: cur === 'ILS' ? goal.id : null });
    }
    const f = (await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on Partnership { pledged { amountMinor currency } disbursed { amountMinor currency } remaining { amountMinor currency } } } }`, { id: p.id })).node;
    expect(f.pledged).toEqual([{ amountMinor: '450000000', currency: 'ILS' }, { amountMinor: big, currency: 'USD' }]);
    expect(f.disbursed).toEqual([{ amountMinor: '100000000', currency: 'ILS' }, { amountMinor: '12', currency: 'USD' }]);
    expect(f.remaining).toEqual([{ amountMinor: '350000000', currency: 'ILS' }, { amountMinor: (BigInt(big) - 12n).toString(), currency: 'USD' }]);
    const totals = (await admin.ok(`{ partnershipTotals(of: REMAINING) { amountMinor currency } }`)).partnershipTotals;
    expect(totals).toEqual(f.remaining);
    const bad = await coordinator.gql(`mutation($p: ID!) { recordDisbursement(partnershipId: $p, amountMinor: "10.5", currency: "ils") { id } }`, { p: p.id });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const outsider = await member(s.url, admin, abroad, 'VOLUNTEER');
    expect((await outsider.gql(`query($id: ID!) { node(id: $id) { ... on Partnership { pledged { amountMinor } } } }`, { id: p.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('rolls up road-map progress from milestones', async () => {
    const goal = (await coordinator.ok(`mutation($c: ID!) { createRecoveryGoal(communityId: $c, title: "Reopen the dining hall", domain: SOCIAL_FABRIC) { id } }`, { c: community })).createRecoveryGoal;
    const ms = [];
    for (const t of ['Structural survey', 'Kitchen equipment', 'Opening dinner']) {
      ms.push((await coordinator.ok(`mutation($g: ID!, $t: String!) { addMilestone(goalId: $g, title: $t, dueDate: "2026-12-31T00:00:00Z") { id } }`, { g: goal.id, t })).addMilestone);
    }
    await coordinator.ok(`mutation($m: ID!) { completeMilestone(milestoneId: $m, doneAt: "2026-10-01T00:00:00Z") { onTime } }`, { m: ms[0].id });
    const n = await createNeed(coordinator, community, { title: 'Volunteers to clean the dining hall', category: 'OTHER' });
    await coordinator.ok(`mutation($n: ID!, $g: ID!) { linkNeedToGoal(needId: $n, goalId: $g) }`, { n: n.id, g: goal.id });
    const map = (await new (await import('../helpers/client.ts')).Api(s.url).ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { title progress needs { id } milestones { title onTime } } }`, { c: community })).recoveryRoadmap;
    const hall = map.find((g: any) => g.title === 'Reopen the dining hall');
    expect(hall.progress).toBeCloseTo(1 / 3, 10);
    expect(hall.needs.map((x: any) => x.id)).toEqual([n.id]);
    expect(hall.milestones[0]).toEqual({ title: 'Structural survey', onTime: true });
  });
});

describe('outcome indicators', () => {
  it('equal the figures recomputed independently from the raw events', async () => {
    const c2 = await createCommunity(admin, `Pilot town ${Date.now()}`);
    const coord = await member(s.url, admin, c2, 'COORDINATOR');
    const volunteers = [];
    for (let i = 0; i < 4; i++) volunteers.push(await member(s.url, admin, c2, 'VOLUNTEER'));
    // A generated quarter: needs on varied days; some claimed, some done, some critical.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const start = Date.parse('2026-07-01T06:00:00Z');
    const cats = ['FOOD', 'MEDICINE', 'TRANSPORT'];
    for (let i = 0; i < 36; i++) {
      const t0 = start + Math.floor(rnd() * 88) * 86_400_000 + Math.floor(rnd() * 12) * 3_600_000;
      s.app.services.clock.set(new Date(t0));
      const n = await createNeed(coord, c2, { category: cats[i % 3], urgency: rnd() < 0.3 ? 'CRITICAL' : 'NORMAL', lat: 31 + i / 100 });
      const fate = rnd();
      if (fate < 0.2) continue;
      const v = volunteers[i % 4]!;
      s.app.services.clock.set(new Date(t0 + Math.floor(5 + rnd() * 600) * 60_000));
      const claim = (await v.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n.id })).claimNeed.claim;
      if (fate < 0.4) {
        await v.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
        continue;
      }
      await v.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
      s.app.services.clock.set(new Date(t0 + Math.floor(60 + rnd() * 3_000) * 60_000));
      await v.ok(`mutation($id: ID!) { completeClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
    }
    s.app.services.clock.reset();
    const figures = (await coord.ok(
      `query($c: [ID!]) { needIndicators(communityIds: $c, period: MONTH, from: "2026-06-01T00:00:00Z", to: "2026-11-01T00:00:00Z") { periodStart category needsReceived needsMet medianMinutesToClaim medianMinutesToComplete criticalReceived criticalMetWithin24h } }`,
      { c: [c2] },
    )).needIndicators;

    // Independently: from the event log alone.
    const events = await s.app.services.prisma.needEvent.findMany({ where: { communityId: uuidOf(c2) }, orderBy: { seq: 'asc' }, include: { need: { select: { category: true, urgency: true } } } });
    const needs = new Map<string, { category: string; urgency: string; created: number; claimed?: number; done?: number }>();
    for (const e of events) {
      if (e.type === 'CREATED') needs.set(e.needId, { category: e.need.category, urgency: e.need.urgency, created: e.at.getTime() });
      const n = needs.get(e.needId)!;
      if ((e.type === 'CLAIMED' || e.type === 'ASSIGNED') && n.claimed === undefined) n.claimed = e.at.getTime();
      if (e.toStatus === 'DONE') n.done = e.at.getTime();
    }
    const month = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jerusalem', year: 'numeric', month: '2-digit' }).format(t);
    const median = (xs: number[]) => {
      if (!xs.length) return null;
      const s = [...xs].sort((a, b) => a - b);
      const m = (s.length - 1) / 2;
      return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
    };
    const expected = new Map<string, any>();
    for (const n of needs.values()) {
      for (const cat of [null, n.category]) {
        const key = `${month(n.created)}|${cat}`;
        const x = expected.get(key) ?? { received: 0, met: 0, toClaim: [] as number[], toDone: [] as number[], critical: 0, critical24: 0 };
        x.received++;
        if (n.done !== undefined) {
          x.met++;
          x.toDone.push((n.done - n.created) / 60_000);
        }
        if (n.claimed !== undefined) x.toClaim.push((n.claimed - n.created) / 60_000);
        if (n.urgency === 'CRITICAL') {
          x.critical++;
          if (n.done !== undefined && n.done - n.created <= 24 * 3_600_000) x.critical24++;
        }
        expected.set(key, x);
      }
    }
    expect(figures).toHaveLength(expected.size);
    for (const f of figures) {
      const x = expected.get(`${month(Date.parse(f.periodStart))}|${f.category}`);
      expect(x, `${f.periodStart} ${f.category}`).toBeTruthy();
      expect(f.needsReceived).toBe(x.received);
      expect(f.needsMet).toBe(x.met);
      expect(f.criticalReceived).toBe(x.critical);
      expect(f.criticalMetWithin24h).toBe(x.critical24);
      const close = (a: number | null, b: number | null) => (a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 6));
      close(f.medianMinutesToClaim, median(x.toClaim));
      close(f.medianMinutesToComplete, median(x.toDone));
    }
    // Each figure traces to its needs.
    const july = figures.find((f: any) => f.category === null && f.periodStart.startsWith('2026-06-30'));
    const traced = (await coord.ok(`query($c: ID!, $p: DateTime!) { indicatorNeeds(communityId: $c, period: MONTH, periodStart: $p, measure: MET) { id status } }`, { c: c2, p: july.periodStart })).indicatorNeeds;
    expect(traced).toHaveLength(july.needsMet);
    expect(traced.every((n: any) => n.status === 'DONE')).toBe(true);
  }, 120_000);
});

describe('CSV import', () => {
  it('reads a messy real-world file and reports every row exactly', async () => {
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const cp1255 = (s: string) => iconv.encode(s, 'windows-1255');
    const file = Buffer.concat([
      utf8('\uFEFFכותרת,קטגוריה,דחיפות,קו רוחב,קו אורך,כתובת,שם הפונה,טלפון,הערות\r\n'),
      utf8('קניות לזוג קשישים,מזון,דחוף,31.4247,34.4917,"הדקל 4, בארי",מרים כהן,050-765-1111,"לא יכולים לצאת מהבית"\r\n'),
      cp1255('תרופות לאבא,תרופות,קריטי,31.4250,34.4920,הזית 2,יוסי לוי,052-765-4321,\r\n'), // another encoding
      utf8(',מזון,רגיל,31.42,34.49,הגפן 1,דנה,050-000-0000,\r\n'), // no title
      utf8('הסעה לבית חולים,הסעה,גבוה,131.42,34.49,הגפן 3,רון,050-111-1111,\r\n'), // latitude out of range
      utf8('משהו,פיצה,רגיל,31.42,34.49,הגפן 5,רון,050-111-1111,\r\n'), // unknown category
      utf8('\r\n'),
      utf8('קניות לזוג קשישים שוב,מזון,דחוף,31.4248,34.4918,"הדקל 4, בארי",מרים כהן,+972 50 765 1111,"כפול: אותו טלפון"\r\n'), // duplicate
      utf8('"ציוד ""מיוחד"" לתינוק",ציוד,נמוך,31.43,34.50,"הרימון 9\nדירה 2",אורית,,\r\n'), // quotes and a newline
    ]);
    const res = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(community)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${coordinator.token}` },
      body: file,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.pop();
    expect(summary).toEqual({ kind: 'needs', rows: 7, accepted: 4, invited: 0, rejected: 3, flaggedDuplicates: 1 });
    expect(lines.map((l) => [l.line, l.status, l.reason ?? null, l.duplicates ?? 0])).toEqual([
      [2, 'ACCEPTED', null, 0],
      [3, 'ACCEPTED', null, 0],
      // In the coordinator's language (Hebrew, as they signed up).
      [4, 'REJECTED', 'כותרת: שדה חובה.', 0],
      [5, 'REJECTED', 'קו רוחב: 90 לכל היותר.', 0],
      [6, 'REJECTED', 'קטגוריה: „פיצה” אינה קטגוריה מוכרת.', 0],
      [8, 'ACCEPTED', null, 1],
      [10, 'ACCEPTED', null, 0],
    ]);
    const medicine = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(lines[1].id) } });
    expect(medicine).toMatchObject({ title: 'תרופות לאבא', category: 'MEDICINE', urgency: 'CRITICAL', address: 'הזית 2' });
    const quoted = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(lines[6].id) } });
    expect(quoted).toMatchObject({ title: 'ציוד "מיוחד" לתינוק', address: 'הרימון 9\nדירה 2', category: 'EQUIPMENT', urgency: 'LOW' });
    const forbidden = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(community)}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${coordinator.token}` }, body: file });
    expect(forbidden.status).toBe(403);
  });
});

describe('exports', () => {
  it('streams needs as CSV with private fields only where allowed', async () => {
    const other = await createCommunity(admin);
    const otherCoordinator = await member(s.url, admin, other, 'COORDINATOR');
    await createNeed(otherCoordinator, other, { address: 'Secret 1' });
    const mine = await fetch(`${s.url}/api/export/needs.csv?private=1`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    const bytes = Buffer.from(await mine.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, for spreadsheet programs
    const csv = bytes.toString('utf8');
    expect(csv.split('\n')[0]).toContain('address');
    expect(csv).toContain('הזית 2');
    expect(csv).not.toContain('Secret 1');
    const theirs = await fetch(`${s.url}/api/export/needs.csv?private=1&communityId=${encodeURIComponent(other)}`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect(theirs.status).toBe(403);
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    expect((await fetch(`${s.url}/api/export/needs.csv`, { headers: { authorization: `Bearer ${volunteer.token}` } })).status).toBe(403);
  });

  // On PostgreSQL: a million events, exported by a separate API process whose memory is
  // read from the kernel. On PGlite (one process holds the database): a smaller count.
  const EVENTS = Number(process.env.EXPORT_TEST_EVENTS ?? (serverUrl ? 1_000_000 : 20_000));
  it(`streams ${EVENTS.toLocaleString('en')} events${serverUrl ? ' with bounded memory' : ''}`, async () => {
    const n = await createNeed(coordinator, community);
    await s.app.services.prisma.$executeRawUnsafe(
      `INSERT INTO "NeedEvent" ("needId", "communityId", type, "fromStatus", "toStatus", at, payload)
       SELECT $1::uuid, $2::uuid, 'UPDATED', 'OPEN', 'OPEN', now(), '{}' FROM generate_series(1, ${EVENTS})`,
      uuidOf(n.id),
      uuidOf(community),
    );
    // As autovacuum would after such a burst: fresh statistics, so the planner keeps using the index.
    await s.app.services.prisma.$executeRawUnsafe('ANALYZE "NeedEvent"');
    const expected = await s.app.services.prisma.needEvent.count({ where: { communityId: uuidOf(community) } });
    // The exporter's heap is capped well below the size of the export: holding it would crash.
    const exporter = serverUrl ? await spawnApi({ ...s.db.env }, 90_000, { execArgv: ['--max-old-space-size=160'] }) : null;
    try {
      const base = exporter ? rssOf(exporter.pid) : 0;
      let peak = base;
      const sampler = setInterval(() => exporter && (peak = Math.max(peak, rssOf(exporter.pid))), 50);
      const started = Date.now();
      const res = await fetch(`${exporter?.url ?? s.url}/api/export/events.ndjson?communityId=${encodeURIComponent(community)}`, {
        headers: { authorization: `Bearer ${coordinator.token}` },
      });
      let lines = 0;
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      }
      clearInterval(sampler);
      expect(lines).toBe(expected);
      if (exporter) {
        const growthMib = (peak - base) / 2 ** 20;
        const sizeMib = bytes / 2 ** 20;
        console.log(`export: ${lines} events, ${sizeMib.toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s; exporter RSS ${(base / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${growthMib.toFixed(0)})`);
        // Streaming: the exporter (heap capped at 160 MiB) holds a batch, not the export.
        expect(sizeMib).toBeGreaterThan(160);
        expect(growthMib).toBeLessThan(sizeMib);
      }
    } finally {
      await exporter?.stop();
    }
  }, 600_000);
});
