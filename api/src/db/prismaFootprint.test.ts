// Guards patches/@prisma__client@7.10.0.patch: Prisma's client keeps a parameterization graph of
// the schema (which argument of which model takes which scalar), read at construction. Unpatched,
// each of its ~4,400 nodes keeps its edges in an object keyed by string index, and V8 backs every
// such object with an array as long as the largest index: 21.8 MB of heap for this schema. The
// patch keeps the edges in Maps: 3.5 MB for the whole client. An upgrade of Prisma that drops the
// patch (pnpm refuses a patch that no longer applies) or undoes its effect fails here.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));

const MEASURE = `
const gc = globalThis.gc;
const { PrismaPg } = await import('@prisma/adapter-pg');
const { PrismaClient } = await import('./src/generated/prisma/client.ts');
gc(); gc();
const before = process.memoryUsage().heapUsed;
const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgres://127.0.0.1:1/unused' }) });
gc(); gc();
process.stdout.write(JSON.stringify({ mb: (process.memoryUsage().heapUsed - before) / 2 ** 20, client: typeof client }));
`;

describe("Prisma's client", () => {
  it('costs a few MB of heap once constructed, not the 20 MB of its unpatched parameterization graph', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', MEASURE], { cwd: apiDir, encoding: 'utf8', timeout: 120_000 });
    const { mb, client } = JSON.parse(out) as { mb: number; client: string };
    expect(client).toBe('object');
    expect(mb).toBeLessThan(8);
  }, 180_000);
});
