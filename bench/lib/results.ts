// Results: bench/results/<name>.json (with the machine and versions it ran on), and
// bench/results/RESULTS.md regenerated from every JSON file there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { PG_ADMIN_URL, apiRequire, benchDir, benchRequire, repoDir } from './harness.ts';

export const resultsDir = `${benchDir}results/`;

export type Table = { title: string; columns: string[]; rows: (string | number | null)[][]; note?: string };
export type Target = { what: string; target: string; value: string; met: boolean | null };
export type BenchResult = {
  name: string;
  title: string;
  command: string;
  summary: string;
  tables: Table[];
  targets: Target[];
  notes: string[];
  data: unknown;
};

function pkgVersion(req: NodeRequire, name: string): string | null {
  try {
    // Read the package.json next to the resolved entry (some packages do not export it).
    let dir = req.resolve(name).replace(/\\/g, '/');
    while (dir.includes('/node_modules/')) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      const file = `${dir}/package.json`;
      if (existsSync(file)) {
        const p = JSON.parse(readFileSync(file, 'utf8'));
        if (p.name === name) return p.version;
      }
    }
  } catch {}
  return null;
}

export async function machineInfo() {
  let postgres: string | null = null;
  try {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    postgres = (await c.query('SHOW server_version')).rows[0].server_version;
    await c.end();
  } catch {}
  let chromium: string | null = null;
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'api', 'prisma'], { cwd: repoDir, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (api/ or prisma/ with uncommitted changes)';
  } catch {}
  const api = (n: string) => pkgVersion(apiRequire, n);
  const bench = (n: string) => pkgVersion(benchRequire, n);
  return {
    date: new Date().toISOString(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    kernel: os.release(),
    node: process.version,
    postgres,
    chromium,
    commit,
    packages: {
      graphql: api('graphql'),
      'graphql-yoga': api('graphql-yoga'),
      'graphql-ws': api('graphql-ws'),
      ws: api('ws'),
      '@pothos/core': api('@pothos/core'),
      '@prisma/client': api('@prisma/client'),
      '@prisma/adapter-pg': api('@prisma/adapter-pg'),
      '@electric-sql/pglite': api('@electric-sql/pglite'),
      pg: api('pg'),
      tsx: api('tsx'),
      postgraphile: bench('postgraphile'),
      'graphql (PostGraphile)': bench('graphql'),
      autocannon: bench('autocannon'),
      'playwright-core': bench('playwright-core'),
    },
  };
}

export async function writeResult(result: BenchResult): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}${result.name}.json`;
  writeFileSync(file, JSON.stringify({ ...result, machine: await machineInfo() }, null, 2) + '\n');
  writeReport();
  return file;
}

const ORDER = ['fanout', 'fanout-signed-in', 'memory', 'board', 'claims', 'startup', 'web'];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '–';
  return String(v).replace(/\|/g, '\\|');
}

export function renderTable(t: Table): string {
  const lines = [`**${t.title}**`, '', `| ${t.columns.join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`];
  for (const row of t.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  if (t.note) lines.push('', t.note);
  return lines.join('\n');
}

/** Regenerates RESULTS.md from the JSON files. */
export function writeReport(): string {
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
  const results = files
    .map((f) => JSON.parse(readFileSync(`${resultsDir}${f}`, 'utf8')) as BenchResult & { machine: Awaited<ReturnType<typeof machineInfo>> })
    .sort((a, b) => (ORDER.indexOf(a.name) + 1 || 99) - (ORDER.indexOf(b.name) + 1 || 99));
  const out: string[] = [
    '# Benchmark results',
    '',
    'Generated from the JSON files in this directory by `pnpm bench:results` (each `pnpm bench:<name>` rewrites its JSON and this file). Every benchmark runs its variants alternately after a warm-up in one invocation; medians over the rounds unless said otherwise. The machine is shared: compare ratios within one table rather than absolute numbers across tables.',
    '',
  ];
  if (results.length) {
    out.push('## Targets', '', '| benchmark | what | target | measured | met |', '| --- | --- | --- | --- | --- |');
    for (const r of results) for (const t of r.targets) out.push(`| ${r.name} | ${cell(t.what)} | ${cell(t.target)} | ${cell(t.value)} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`);
    out.push('');
  }
  for (const r of results) {
    const m = r.machine;
    out.push(`## ${r.title}`, '', `\`${r.command}\` — ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit ?? '?'}`, '', r.summary, '');
    for (const t of r.tables) out.push(renderTable(t), '');
    if (r.notes.length) out.push(...r.notes.map((n) => `- ${n}`), '');
    out.push(
      `<sub>${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, load ${m.loadAverageAtStart.join('/')} at start; Node ${m.node}, PostgreSQL ${m.postgres ?? '–'}${r.name === 'web' ? `, ${m.chromium ?? 'no chromium'}` : ''}; ` +
        Object.entries(m.packages)
          .filter(([, v]) => v)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') +
        '</sub>',
      '',
    );
  }
  const text = out.join('\n');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}RESULTS.md`, text);
  return text;
}
