// Files in and out, as an attacker would use them: CSV exports with cells a spreadsheet would
// run as formulas, and imports sized to hold the server up (one 20 MB line, a line over the
// limit, a stream with no declared length).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { connect } from 'node:net';
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

type Upload = { status: number; body: string };

/**
 * POSTs `size` bytes of `fill` to the import as node's HTTP client sends it, with or without
 * a declared length (else chunked). After the first 64 KiB are on their way, `whileSending`
 * runs; the rest is sent until the server answers or closes.
 */
function upload(path: string, size: number, fill: (offset: number, length: number) => Buffer, declareLength: boolean, whileSending: () => Promise<void>): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${s.url}${path}`, {
      method: 'POST',
      headers: { ...importHeaders(), ...(declareLength ? { 'content-length': String(size) } : {}) },
    });
    req.on('response', async (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('error', () => {});
      await once(res, 'end').catch(() => {});
      resolve({ status: res.statusCode!, body });
    });
    // Once the server has answered and closed, the rest of the upload has nowhere to go.
    req.on('error', (err) => !answered && reject(err));
    void (async () => {
      const CHUNK = 64 * 1024;
      const stopped = Promise.race([once(req, 'response'), once(req, 'close')]);
      for (let at = 0; at < size && !answered && !req.destroyed; at += CHUNK) {
        const drained = req.write(fill(at, Math.min(CHUNK, size - at))) ? null : Promise.race([once(req, 'drain'), stopped]);
        if (at === 0) await whileSending();
        if (drained) await drained;
      }
      if (!answered && !req.destroyed) req.end();
    })().catch(reject);
  });
}

const importPath = () => `/api/import/needs?communityId=${encodeURIComponent(community)}`;
const importHeaders = () => ({ 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${coordinator.token}` });
const postCsv = (body: string) => fetch(`${s.url}${importPath()}`, { method: 'POST', headers: importHeaders(), body });
const MB20 = 20 * 1024 * 1024;
const oneLine = (_at: number, length: number) => Buffer.alloc(length, 'a');
const healthAnswers = async () => {
  const res = await fetch(`${s.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
};
const errorOf = (u: Upload) => JSON.parse(u.body).errors[0];

describe('CSV import limits', () => {
  it('refuse a 20 MB file of one line (413) while /health keeps answering', async () => {
    const res = await upload(importPath(), MB20, oneLine, true, healthAnswers);
    expect(res.status).toBe(413);
    expect(errorOf(res)).toEqual({
      message: 'The file is larger than the import limit of 10485760 bytes: split it into smaller files.',
      extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 10485760 },
    });
    await healthAnswers();
  }, 120_000);

  it('refuse the same line streamed without a declared length at the line limit (413) while /health keeps answering', async () => {
    const res = await upload(importPath(), MB20, oneLine, false, healthAnswers);
    expect(res.status).toBe(413);
    expect(errorOf(res)).toEqual({
      message: 'Line 1 is longer than the limit of 65536 bytes: a CSV file has one row per line.',
      extensions: { code: 'PAYLOAD_TOO_LARGE', line: 1, limitBytes: 65536 },
    });
    await healthAnswers();
  }, 120_000);

  /** Sends `size` bytes of 'a' to `path` as fast as the connection takes them (a raw socket: it reads only what arrives), until the answer has ended or the socket fails; what came back. */
  async function sendWithoutWaiting(path: string, headers: Record<string, string>, size: number): Promise<{ status: number; body: unknown }> {
    const { hostname, port } = new URL(s.url);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => {});
    await once(socket, 'connect');
    const received: Buffer[] = [];
    let ended = false;
    socket.on('data', (d) => received.push(d));
    socket.on('end', () => (ended = true));
    const closed = once(socket, 'close');
    const head = Object.entries({ ...headers, 'content-length': String(size), host: `${hostname}:${port}` }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST ${path} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n`);
    for (let at = 0; at < size && !ended && !socket.destroyed; at += 64 * 1024) {
      if (!socket.write(Buffer.alloc(64 * 1024, 'a'))) await Promise.race([once(socket, 'drain'), closed]);
    }
    await closed;
    const answer = Buffer.concat(received).toString('utf8');
    const split = answer.indexOf('\r\n\r\n');
    return { status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0), body: split < 0 ? null : JSON.parse(answer.slice(split + 4)) };
  }

  it('answer a client that goes on sending after a refusal (a browser uploading a file with a long line, an oversized GraphQL body) with the 413, never a reset', async () => {
    // A file under the size limit, its length declared as a browser declares it, whose first
    // line is over the line limit: refused once 64 KiB are read, while the client is still
    // sending megabytes. Closing at once made the sender meet a reset, the answer lost; the
    // server now reads and drops the rest for a moment after its answer (a lingering close).
    // The same for a GraphQL request declared over its body limit. Every try counts.
    for (let i = 0; i < 6; i++) {
      expect(await sendWithoutWaiting(importPath(), importHeaders(), 6 * 1024 * 1024)).toEqual({
        status: 413,
        body: { errors: [{ message: 'Line 1 is longer than the limit of 65536 bytes: a CSV file has one row per line.', extensions: { code: 'PAYLOAD_TOO_LARGE', line: 1, limitBytes: 65536 } }] },
      });
      expect(await sendWithoutWaiting('/graphql', { 'content-type': 'application/json' }, 6 * 1024 * 1024)).toEqual({
        status: 413,
        body: { errors: [{ message: 'Request body too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
      });
    }
    await healthAnswers();
  }, 120_000);

  it('refuse a streamed file over the size limit even when every line is short', async () => {
    // A header, then a quoted field that never closes: no row ever ends, lines of 1 KiB each.
    const head = Buffer.from('title,category\n"');
    const fill = (at: number, length: number) => {
      const b = Buffer.alloc(length, 'a');
      for (let i = 1023 - (at % 1024); i < length; i += 1024) b[i] = 0x0a;
      if (at === 0) head.copy(b);
      return b;
    };
    const res = await upload(importPath(), MB20, fill, false, healthAnswers);
    expect(res.status).toBe(413);
    expect(errorOf(res)).toMatchObject({ message: 'The file is larger than the import limit of 10485760 bytes: split it into smaller files.', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
  }, 120_000);

  it('refuse a line just over the line limit, with its number; read one of exactly the limit', async () => {
    const header = 'title,category,urgency,lat,lng,address,name\n';
    const fits = await postCsv(`${header}${'x'.repeat(65536)}\n`);
    expect(fits.status).toBe(200);
    const report = (await fits.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(report).toEqual([
      { line: 2, status: 'REJECTED', reason: 'כותרת: 120 תווים לכל היותר.' },
      { kind: 'needs', rows: 1, accepted: 0, invited: 0, rejected: 1, flaggedDuplicates: 0 },
    ]);
    const over = await postCsv(`${header}${'x'.repeat(65537)}\n`);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({
      errors: [{ message: 'Line 2 is longer than the limit of 65536 bytes: a CSV file has one row per line.', extensions: { code: 'PAYLOAD_TOO_LARGE', line: 2, limitBytes: 65536 } }],
    });
  });

  it('end a report already under way with the refusal as its last line', async () => {
    // The rows first; the long line only once the report has begun (its status is sent).
    const req = request(`${s.url}${importPath()}`, { method: 'POST', headers: importHeaders() });
    req.on('error', () => {});
    req.write(`title,category,urgency,lat,lng,address,name\n${'no category,,,1,2,x,y\n'.repeat(3)}`);
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    expect(res.statusCode).toBe(200);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (body += d));
    req.end(`${'x'.repeat(70_000)}\n`);
    await once(res, 'end');
    const lines = body.trim().split('\n').map((l) => JSON.parse(l));
    // The rows reported before the long line came (at least the first, which began the report), then the refusal.
    const rows = lines.slice(0, -1);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows).toEqual([{ line: 2, status: 'REJECTED', reason: expect.any(String) }, { line: 3, status: 'REJECTED', reason: expect.any(String) }, { line: 4, status: 'REJECTED', reason: expect.any(String) }].slice(0, rows.length));
    expect(lines.slice(-1)).toEqual([{ errors: [{ message: 'Line 5 is longer than the limit of 65536 bytes: a CSV file has one row per line.', extensions: { code: 'PAYLOAD_TOO_LARGE', line: 5, limitBytes: 65536 } }] }]);
  });

  it('still import a normal file', async () => {
    const body = 'title,category,urgency,lat,lng,address,name\nWater for the shelter,food,high,-34.6,-58.38,Calle 1,Ana\n';
    const res = await postCsv(body);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toEqual({ kind: 'needs', rows: 1, accepted: 1, invited: 0, rejected: 0, flaggedDuplicates: 0 });
  });
});

describe('GraphQL request bodies', () => {
  /** POSTs `body` to /graphql in 16 KiB chunks without declaring its length (Transfer-Encoding: chunked). */
  function postChunked(body: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = request(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', async (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        await once(res, 'end').catch(() => {});
        resolve({ status: res.statusCode!, body: JSON.parse(text) });
      });
      // Once the server has answered a refusal, the rest has nowhere to go.
      req.on('error', reject);
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length; at += 16 * 1024) req.write(bytes.subarray(at, at + 16 * 1024));
      req.end();
    });
  }
  const padded = (padBytes: number) => JSON.stringify({ query: '{ __typename }', extensions: { pad: 'a'.repeat(padBytes) } });

  it('hold one sent without a length to the limit a declared one has (256 KiB): refused with 413 PAYLOAD_TOO_LARGE; one under it answered', async () => {
    expect(await postChunked(padded(100 * 1024))).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    // Accepted up to 25 MB before (yoga's own default), where a declared length over 256 KiB is refused unread.
    const over = await postChunked(padded(1024 * 1024));
    expect(over).toEqual({ status: 413, body: { errors: [{ message: 'Request body too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] } });
    await healthAnswers();
  });
});
