// Files in and out, as an attacker would use them: CSV exports with cells a spreadsheet would
// run as formulas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../api/node_modules/csv-parse/lib/sync.js';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { uuidOf } from '../helpers/world.ts';

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  // Buenos Aires: both coordinates negative, written as numbers.
  community = await createCommunity(admin, `Buenos Aires ${Date.now()}`, { lat: -34.6, lng: -58.38 });
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => {
  await s?.stop();
});

const get = (path: string) => fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${coordinator.token}` } });

describe('CSV exports', () => {
  const FORMULAS = ['=HYPERLINK("http://x","y")', '=1+1', '+SUM(1,2)', '-2+3', '@SUM(1,2)', "=cmd|' /C calc'!A0"];

  it('neutralise every text cell a spreadsheet would run as a formula; numbers stay numbers; JSON and NDJSON stay raw', async () => {
    const ids: string[] = [];
    for (const title of FORMULAS) ids.push((await createNeed(coordinator, community, { title, lat: -34.6, lng: -58.38 })).id);
    // The API trims titles and addresses; a cell that starts with a tab or a carriage return can
    // still come from elsewhere (an older import, a migration): written to the database directly.
    const raw = (await createNeed(coordinator, community, { lat: -34.6, lng: -58.38 })).id;
    await s.app.services.prisma.need.update({ where: { id: uuidOf(raw) }, data: { title: '\t=1+1', address: '\r=2+2', requesterName: '-Dana' } });

    const res = await get('/api/export/needs.csv?private=1');
    expect(res.status).toBe(200);
    const rows: Record<string, string>[] = parse(Buffer.from(await res.arrayBuffer()), { columns: true, bom: true });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.map((id) => byId.get(id)!.title)).toEqual(FORMULAS.map((f) => `'${f}`));
    expect(byId.get(raw)).toMatchObject({ title: "'\t=1+1", address: "'\r=2+2", requesterName: "'-Dana", requesterPhone: "'+972-50-123-4567" });
    // Numbers we write as numbers are not text: a negative coordinate stays a number.
    for (const r of rows) {
      expect(r.publicLat).toMatch(/^-\d+\.\d+$/);
      expect(r.publicLng).toMatch(/^-\d+\.\d+$/);
      expect(r.lat).toMatch(/^-\d+(\.\d+)?$/);
      expect(r.slots).toMatch(/^\d+$/);
    }

    const json = (await (await get('/api/export/needs.json?private=1')).json()) as Record<string, unknown>[];
    const jsonById = new Map(json.map((r) => [r.id, r]));
    expect(ids.map((id) => jsonById.get(id)!.title)).toEqual(FORMULAS);
    expect(jsonById.get(raw)).toMatchObject({ title: '\t=1+1', address: '\r=2+2', requesterName: '-Dana' });
    expect(typeof jsonById.get(raw)!.publicLat).toBe('number');
    const ndjson = (await (await get('/api/export/needs.ndjson')).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(ndjson.find((r) => r.id === raw)).toMatchObject({ title: '\t=1+1' });
  });

  it('neutralise the other CSV exports too: a partnership overspent shows its remaining money as text', async () => {
    const abroad = (await admin.ok(`mutation { createCommunity(input: { slug: "toronto-${Date.now()}", name: "Toronto", kind: PARTNER_ABROAD, area: "Toronto", country: "CA", centerLat: 43.65, centerLng: -79.38 }) { id } }`)).createCommunity.id;
    const p = (await coordinator.ok(
      `mutation($il: ID!, $ab: ID!) { createPartnership(israeliCommunityId: $il, abroadCommunityId: $ab, startDate: "2024-06-01T00:00:00Z", yearlyPledgeMinor: "100", currency: "ILS") { id } }`,
      { il: community, ab: abroad },
    )).createPartnership;
    await coordinator.ok(`mutation($p: ID!) { recordDisbursement(partnershipId: $p, amountMinor: "1000", currency: "ILS") { id } }`, { p: p.id });
    const rows: Record<string, string>[] = parse(Buffer.from(await (await get('/api/export/partnerships.csv')).arrayBuffer()), { columns: true, bom: true });
    expect(rows.find((r) => r.id === p.id)).toMatchObject({ pledgedMinor: '300 ILS', remainingMinor: "'-700 ILS", termYears: '3' });
    const json = (await (await get('/api/export/partnerships.json')).json()) as Record<string, unknown>[];
    expect(json.find((r) => r.id === p.id)).toMatchObject({ remainingMinor: '-700 ILS', termYears: 3 });
  });
});
