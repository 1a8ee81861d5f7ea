// bench:import — does a CSV import hold the server up? While an import is uploaded, a separate
// process asks /health and a small GraphQL query back to back; their latency (p50, p99, max)
// is compared with the same polling while the server is idle. Uploads (the issue's "Done
// when": a 20 MB single-line import is refused or parsed while a parallel health query stays
// under 100 ms p99):
// - 20 MB of one line, with its length declared: refused before it is read (413);
// - the same, streamed without a declared length: read until the line limit, then refused (413);
// - 10 MB of many lines (a header and ~160,000 short rows; one row in 1,000 a valid need, the
//   others rejected by the row checks; the valid ones ~250 m apart, no duplicates of one
//   another): parsed to the end, every row reported.
// PostgreSQL, the API in production mode as `pnpm start` runs it. See bench/README.md.
import net from 'node:net';
import { once } from 'node:events';
import pg from 'pg';
import { startApi } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity } from '../lib/db.ts';
import { alternate, flags, log, median, round, sleep, spawnNode, stopAll, summarize, waitForMessage, ask } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({ rounds: 3, warmup: 1, idleSeconds: 4, singleLineMB: 20, manyLinesMB: 10, validEvery: 1000 });

type Variant = 'idle' | 'one-line-declared' | 'one-line-streamed' | 'many-lines';
const names: Record<Variant, string> = {
  idle: 'no upload (baseline)',
  'one-line-declared': `${opts.singleLineMB} MB, one line, length declared`,
  'one-line-streamed': `${opts.singleLineMB} MB, one line, streamed (chunked)`,
  'many-lines': `${opts.manyLinesMB} MB, many lines`,
};

/** `complete`: the answer ended as it should (a refusal, or the import's summary line), not cut off midway. */
type Outcome = { status: number; ms: number; result: string; complete: boolean };

/**
 * POSTs `size` bytes made by `fill` in 64 KiB chunks, as a client's upload, and stops sending
 * once the server closes or refuses more. A raw socket rather than `http.request`: a server that
 * refuses a body answers and closes without reading it, so the client's next write fails
 * (EPIPE, ECONNRESET), and Node's HTTP client then drops the answer it had already received.
 * Here what the server sent is kept and read whatever the writes meet.
 */
function upload(url: string, token: string, size: number, fill: (at: number, length: number) => Buffer, declareLength: boolean): Promise<Outcome> {
  const t0 = performance.now();
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let writeError = '';
    let ended = false;
    socket.on('data', (d) => received.push(d));
    socket.on('end', () => (ended = true));
    socket.on('error', (err: NodeJS.ErrnoException) => (writeError ||= err.code ?? err.message));
    socket.on('close', () => {
      const { status, body } = parseResponse(Buffer.concat(received));
      const last = body.trim().split('\n').pop() ?? '';
      resolve({ status, ms: performance.now() - t0, result: (last || (writeError && `connection closed: ${writeError}`)).slice(0, 300), complete: /"errors"|"kind"/.test(last) });
    });
    void (async () => {
      await once(socket, 'connect');
      const head = [
        `POST ${pathname}${search} HTTP/1.1`,
        `host: ${hostname}:${port}`,
        'content-type: text/csv',
        'x-graphql-csrf: 1',
        `authorization: Bearer ${token}`,
        'connection: close',
        declareLength ? `content-length: ${size}` : 'transfer-encoding: chunked',
      ];
      socket.write(head.join('\r\n') + '\r\n\r\n');
      const closed = once(socket, 'close');
      const CHUNK = 64 * 1024;
      for (let at = 0; at < size && !ended && !socket.destroyed && !writeError; at += CHUNK) {
        const data = fill(at, Math.min(CHUNK, size - at));
        const framed = declareLength ? data : Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
        if (!socket.write(framed)) await Promise.race([once(socket, 'drain'), closed]);
      }
      // The request is sent (chunked: its last chunk); the answer is read until the server
      // closes (the request said `connection: close`). No half-close: Node's server would end
      // the answer with it.
      if (!declareLength && !ended && !socket.destroyed && !writeError) socket.write('0\r\n\r\n');
    })().catch((err) => (writeError ||= String(err)));
  });
}

/** An HTTP/1.1 response's status and body (de-chunked when chunked); status 0 when nothing came back. */
function parseResponse(raw: Buffer): { status: number; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return { status: 0, body: '' };
  const head = raw.subarray(0, split).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  let body = raw.subarray(split + 4);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const parts: Buffer[] = [];
    for (let at = 0; ; ) {
      const eol = body.indexOf('\r\n', at);
      if (eol < 0) break;
      const length = parseInt(body.subarray(at, eol).toString('latin1'), 16);
      if (!length) break;
      parts.push(body.subarray(eol + 2, eol + 2 + length));
      at = eol + 2 + length + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status, body: body.toString('utf8') };
}

/** A CSV of `bytes` bytes: a header, then rows; every `validEvery`th a valid need (0: none), the rest without a category (rejected). */
function manyLines(bytes: number, validEvery: number): Buffer {
  const rows = ['title,category,urgency,lat,lng,address,name'];
  let size = rows[0]!.length + 1;
  for (let i = 1; size < bytes; i++) {
    // Valid needs spread ~250 m apart, each its own place (not duplicates of one another).
    const at = `${(31.3 + (i % 400) * 0.0025).toFixed(4)},${(34.4 + Math.floor(i / 400) * 0.0025).toFixed(4)}`;
    const row = validEvery && i % validEvery === 0 ? `Bench groceries ${i},FOOD,LOW,${at},${i} Herzl St,Dana` : `Bench row ${i},,LOW,${at},${i} Herzl St,Dana`;
    rows.push(row);
    size += row.length + 1;
  }
  return Buffer.from(rows.join('\n') + '\n').subarray(0, bytes);
}

async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('import');
  try {
    await migrate(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const seeded = await seedCommunity(client, 'bench-import');
    await client.end();
    const api = await startApi({ DATABASE_URL: db.url });
    const poller = spawnNode('import/poller.ts', [], { ipc: true, label: 'poller' });
    await waitForMessage(poller, 'ready');
    const importUrl = `${api.url}/api/import/needs?communityId=${seeded.communityId}`;
    const big = opts.singleLineMB * 1024 * 1024;
    const file = manyLines(opts.manyLinesMB * 1000 * 1000, opts.validEvery);
    const oneLine = (_at: number, length: number) => Buffer.alloc(length, 'a');

    const runs = await alternate(['idle', 'one-line-declared', 'one-line-streamed', 'many-lines'] as const, opts.rounds, opts.warmup, async (v: Variant, r) => {
      await ask(poller, { type: 'start', url: api.url }, 'started');
      await sleep(300);
      let outcome: Outcome;
      if (v === 'idle') {
        await sleep(opts.idleSeconds * 1000);
        outcome = { status: 0, ms: opts.idleSeconds * 1000, result: '', complete: true };
      } else if (v === 'many-lines') {
        outcome = await upload(importUrl, seeded.coordinator.token, file.length, (at, length) => file.subarray(at, at + length), true);
      } else {
        outcome = await upload(importUrl, seeded.coordinator.token, big, oneLine, v === 'one-line-declared');
      }
      await sleep(300);
      const samples = await ask<{ health: number[]; graphql: number[]; failures: number }>(poller, { type: 'stop' }, 'samples');
      const health = summarize(samples.health);
      const graphql = summarize(samples.graphql);
      log(
        `  ${r < 0 ? '(warm-up) ' : ''}${v.padEnd(18)} upload ${outcome.status || '-'}${outcome.complete ? '' : ' (cut off)'} in ${round(outcome.ms, 0)} ms; /health p50 ${health.median} p99 ${health.p99} max ${health.max} ms (n=${health.n}); GraphQL p99 ${graphql.p99} max ${graphql.max} ms; failures ${samples.failures}`,
      );
      return { outcome: { ...outcome, ms: round(outcome.ms, 0) }, health, graphql, failures: samples.failures };
    });
    await poller.stop();
    await api.stop();

    const worst = (v: Variant, k: 'health' | 'graphql', f: 'p99' | 'max') => Math.max(...runs[v].map((x) => x[k][f]));
    const med = (v: Variant, k: 'health' | 'graphql', f: 'median' | 'p99') => median(runs[v].map((x) => x[k][f]));
    const variants = Object.keys(names) as Variant[];
    const table: Table = {
      title: `Latency of /health and { latestEventCursor } polled during each upload (${opts.rounds} rounds; medians of the rounds' p50 and p99, worst max)`,
      columns: ['upload', 'answer', 'upload ms (median)', '/health p50 ms', '/health p99 ms', '/health max ms', 'GraphQL p50 ms', 'GraphQL p99 ms', 'GraphQL max ms'],
      rows: variants.map((v) => [
        names[v],
        v === 'idle' ? '—' : runs[v][0]!.outcome.status,
        v === 'idle' ? null : median(runs[v].map((x) => x.outcome.ms)),
        med(v, 'health', 'median'),
        med(v, 'health', 'p99'),
        worst(v, 'health', 'max'),
        med(v, 'graphql', 'median'),
        med(v, 'graphql', 'p99'),
        worst(v, 'graphql', 'max'),
      ]),
      note: 'One poller process, one request in flight per endpoint, 10 ms between requests, from 300 ms before the upload to 300 ms after its answer. IMPORT_MAX_BYTES and IMPORT_MAX_LINE_BYTES at their defaults (10 MiB, 64 KiB).',
    };
    const outcomes: Table = {
      title: 'What each upload was answered',
      columns: ['upload', 'HTTP status', 'answered to the end (rounds)', 'last line of the answer (first round)'],
      rows: variants
        .filter((v) => v !== 'idle')
        .map((v) => [names[v], runs[v][0]!.outcome.status, `${runs[v].filter((x) => x.outcome.complete).length} of ${runs[v].length}`, runs[v][0]!.outcome.result.replace(/\|/g, '\\|')]),
      note: 'Not answered to the end: the answer stopped before the summary line (the connection closed midway, e.g. by the HTTP server\'s request timeout, HTTP_REQUEST_TIMEOUT_SECONDS).',
    };
    const singleLineP99 = Math.max(worst('one-line-declared', 'health', 'p99'), worst('one-line-streamed', 'health', 'p99'));
    await writeResult({
      name: 'import',
      title: 'Imports do not hold the server up (bench:import)',
      command: `pnpm bench:import ${process.argv.slice(2).join(' ')}`.trim(),
      summary: 'A CSV upload while another process polls /health and a GraphQL query; the variants alternate, after a warm-up round whose numbers are dropped.',
      tables: [table, outcomes],
      targets: [
        { what: `/health p99 during a ${opts.singleLineMB} MB single-line import (worst round)`, target: '< 100 ms', value: `${singleLineP99} ms`, met: singleLineP99 < 100 },
        {
          what: `the ${opts.manyLinesMB} MB many-line import answered to the end (its summary line)`,
          target: 'every round',
          value: `${runs['many-lines'].filter((x) => x.outcome.complete).length} of ${runs['many-lines'].length}`,
          met: runs['many-lines'].every((x) => x.outcome.complete),
        },
        { what: `/health p99 during a ${opts.manyLinesMB} MB many-line import (worst round)`, target: '< 100 ms', value: `${worst('many-lines', 'health', 'p99')} ms`, met: worst('many-lines', 'health', 'p99') < 100 },
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, runs },
    });
    log('wrote bench/results/import.json and RESULTS.md');
  } finally {
    await stopAll();
    await db.drop().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  },
);
