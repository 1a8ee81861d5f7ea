// The demo data as the people of the seed documents would recognise it, read through the API of a
// freshly seeded stack: requests written in Hebrew (most), Arabic, Russian and English that a
// Hebrew search finds; urgency that fits the request; kibbutzim in their regional councils with
// addresses written the kibbutz way; the 25 Communities2Gether pairings ($250,000 a year for three
// years, a joint team of two from each side and two from the Jewish Agency), road maps whose
// milestones fall in order and whose goals are served by linked needs; and a handful of true
// duplicates, never shifts of one series. (Before: every description was "Requested through the X
// hotline.", Hebrew search found nothing, "Temporary shop assistant wanted" could be CRITICAL, Kfar
// Aza and Nahal Oz were labelled Eshkol, six pairings of random sums, milestones out of order.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let admin: ReturnType<Stack['api']>;

beforeAll(async () => {
  stack = await startStack();
  admin = stack.api(await signIn(stack, 'admin@example.org'));
}, 600_000);
afterAll(async () => stack?.stop());

type NeedRow = { id: string; title: string; description: string; category: string; urgency: string };

async function allNeeds(): Promise<NeedRow[]> {
  const rows: NeedRow[] = [];
  for (let after: string | null = null; ; ) {
    const d: any = await admin.ok(
      `query($after: String) { needs(first: 100, after: $after, filter: { statuses: [OPEN, CLAIMED, IN_PROGRESS, DONE, CANCELLED], allOccurrences: true }) { edges { node { id title description category urgency } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    rows.push(...d.needs.edges.map((e: { node: NeedRow }) => e.node));
    if (!d.needs.pageInfo.hasNextPage) return rows;
    after = d.needs.pageInfo.endCursor;
  }
}

describe('the demo data', () => {
  it('is written as people write: mostly Hebrew, also Arabic, Russian and English; a Hebrew search finds shopping and medicines', async () => {
    const needs = await allNeeds();
    expect(needs.length).toBeGreaterThan(1_000);
    const script = (n: NeedRow) => (/[\u0590-\u05FF]/.test(n.title) ? 'he' : /[\u0600-\u06FF]/.test(n.title) ? 'ar' : /[\u0400-\u04FF]/.test(n.title) ? 'ru' : 'en');
    const share: Record<string, number> = {};
    for (const n of needs) share[script(n)] = (share[script(n)] ?? 0) + 1 / needs.length;
    expect(share.he).toBeGreaterThan(0.5);
    for (const lang of ['ar', 'ru', 'en']) expect(share[lang], lang).toBeGreaterThan(0.02);
    expect(needs.filter((n) => /Requested through/.test(n.description))).toEqual([]);
    for (const word of ['קניות', 'תרופות']) {
      const d: any = await admin.ok(`query($t: String!) { needs(first: 1, filter: { text: $t }) { totalCount } }`, { t: word });
      expect(d.needs.totalCount, word).toBeGreaterThan(0);
    }
  });

  it('gives each request an urgency that fits it', async () => {
    const needs = await allNeeds();
    const urgencies = (category: string) => new Set(needs.filter((n) => n.category === category).map((n) => n.urgency));
    for (const u of ['CRITICAL', 'HIGH']) expect(urgencies('JOBS').has(u), `JOBS ${u}`).toBe(false);
    expect(urgencies('ELDERLY_SUPPORT').has('CRITICAL')).toBe(false);
    expect(urgencies('EQUIPMENT').has('CRITICAL')).toBe(false);
    expect(urgencies('MEDICINE').has('LOW')).toBe(false);
    expect(urgencies('MEDICINE').has('CRITICAL')).toBe(true);
  });

  it('puts kibbutzim in their regional councils, with addresses written the kibbutz way', async () => {
    const { communities } = await admin.ok(`{ communities { id slug area kind } }`);
    const area = (slug: string) => communities.find((c: { slug: string }) => c.slug === slug)?.area;
    expect(area('kfar-aza')).toBe("Sha'ar HaNegev Regional Council");
    expect(area('nahal-oz')).toBe("Sha'ar HaNegev Regional Council");
    expect(area('beeri')).toBe('Eshkol Regional Council');
    expect(area('nir-oz')).toBe('Eshkol Regional Council');
    const beeri = communities.find((c: { slug: string }) => c.slug === 'beeri');
    const coordinator = stack.api(await signIn(stack, 'coordinator.beeri@example.org'));
    const d: any = await coordinator.ok(`query($c: [ID!]) { needs(first: 50, filter: { communityIds: $c }) { edges { node { privateDetails { address } } } } }`, { c: [beeri.id] });
    const addresses: string[] = d.needs.edges.map((e: any) => e.node.privateDetails?.address).filter(Boolean);
    expect(addresses.length).toBeGreaterThan(5);
    for (const a of addresses) expect(a).toMatch(/^קיבוץ בארי, (.+, )?בית \d+$/);
  });

  it('has a few households recorded with consent, each asking for help several times, their needs linked to them', async () => {
    const { households } = await admin.ok(`{ households { name size beneficiaryGroups consentRecordedBy { id } needs { id } } }`);
    expect(households.length).toBeGreaterThanOrEqual(3);
    for (const h of households) {
      expect(h.needs.length, h.name).toBeGreaterThanOrEqual(2);
      expect(h.consentRecordedBy, h.name).not.toBeNull();
    }
  });

  it('has what people offer and what is in stock: homes in Eilat, rides to Soroka, two collection points, a group from abroad on a farm day', async () => {
    const { communities } = await admin.ok(`{ communities { id slug } }`);
    const id = (slug: string) => communities.find((c: { slug: string }) => c.slug === slug).id;
    const { offers } = await admin.ok(`query($first: Int!) { offers(first: $first) { edges { node { kind capacity remaining community { slug } } } } }`, { first: 50 });
    const kinds = offers.edges.map((e: any) => `${e.node.kind}@${e.node.community.slug}`);
    expect(kinds.filter((k: string) => k === 'HOSTING@eilat-hosting').length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain('RIDE@sderot');
    for (const slug of ['sderot', 'ashkelon']) {
      const { collectionPoints } = await admin.ok(`query($c: ID!) { collectionPoints(communityId: $c) { name openingHours { weekday } stock { quantity low item { name } } } }`, { c: id(slug) });
      expect(collectionPoints, slug).toHaveLength(1);
      expect(collectionPoints[0].stock.length, slug).toBe(3);
      expect(collectionPoints[0].openingHours.length, slug).toBe(3);
    }
    const sderot = (await admin.ok(`query($c: ID!) { collectionPoints(communityId: $c) { stock { low item { name } } } }`, { c: id('sderot') })).collectionPoints[0];
    expect(sderot.stock.filter((l: any) => l.low).map((l: any) => l.item.name)).toEqual(['מזרן']);
    const farm = await admin.ok(`query($c: [ID!]) { needs(first: 50, filter: { communityIds: $c, categories: [AGRICULTURE], allOccurrences: true }) { edges { node { title slots openSlots claims { places } } } } }`, { c: [id('nir-oz')] });
    expect(farm.needs.edges.some((e: any) => e.node.claims.some((c: { places: number }) => c.places === 6))).toBe(true);
  });

  it('holds the 25 Communities2Gether pairings: three years of $250,000, a joint team of two from each side, road maps in order', async () => {
    const { partnerships } = await admin.ok(
      `{ partnerships { id termYears israeliCommunity { id slug } abroadCommunity { kind } pledges { year amount { amountMinor currency } } team { side } } }`,
    );
    expect(partnerships).toHaveLength(25);
    expect(new Set(partnerships.map((p: any) => p.israeliCommunity.slug)).size).toBe(25);
    for (const p of partnerships) {
      expect(p.termYears).toBe(3);
      expect(p.abroadCommunity.kind).toBe('PARTNER_ABROAD');
      expect(p.pledges.map((x: any) => x.amount)).toEqual([1, 2, 3].map(() => ({ amountMinor: '25000000', currency: 'USD' })));
      const sides: Record<string, number> = {};
      for (const m of p.team) sides[m.side] = (sides[m.side] ?? 0) + 1;
      expect(sides).toEqual({ ISRAEL: 2, ABROAD: 2, COORDINATOR: 2 });
    }
    let linked = 0;
    for (const p of partnerships) {
      const { recoveryRoadmap } = await admin.ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { title milestones { dueDate doneAt } needs { id } } }`, { c: p.israeliCommunity.id });
      const titles = recoveryRoadmap.map((g: any) => g.title);
      expect(new Set(titles).size, `${p.israeliCommunity.slug}: ${titles}`).toBe(titles.length);
      for (const g of recoveryRoadmap) {
        const due = g.milestones.map((m: any) => Date.parse(m.dueDate));
        expect(due).toEqual([...due].sort((a, b) => a - b));
        // Done ones come first, and were done in order.
        const done = g.milestones.map((m: any) => m.doneAt).filter(Boolean).map(Date.parse);
        expect(g.milestones.slice(0, done.length).every((m: any) => m.doneAt)).toBe(true);
        expect(done).toEqual([...done].sort((a, b) => a - b));
        // The term runs on: the last milestone is still ahead.
        expect(g.milestones.at(-1).doneAt).toBeNull();
        linked += g.needs.length;
      }
    }
    expect(linked).toBeGreaterThan(25);
  });

  it('has a handful of true duplicates for the queue, and no shifts of one series flag each other', async () => {
    const { duplicateCandidates } = await admin.ok(`{ duplicateCandidates { reasons need { id seriesOccurrences { id } } otherNeed { id } } }`);
    expect(duplicateCandidates.filter((c: any) => c.reasons.includes('SAME_PHONE')).length).toBeGreaterThanOrEqual(5);
    expect(duplicateCandidates.length).toBeLessThan(40);
    for (const c of duplicateCandidates) expect(c.need.seriesOccurrences.map((o: any) => o.id)).not.toContain(c.otherNeed.id);
  });
});
