// The shape of the API, checked: where each kind of thing may live (README, Architecture).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const files = sources();
const text = (file: string) => readFileSync(join(root, file), 'utf8');
const importsOf = (file: string) => [...text(file).matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
const lines = (file: string) => text(file).split('\n').length;
const where = (test: (file: string) => boolean) => files.filter(test).sort();

describe('the shape of api/src', () => {
  it('reads the environment only in config.ts (and runtime.ts, which hands the whole of it on when the process executes itself again)', () => {
    expect(where((f) => /process\.env/.test(text(f)))).toEqual(['config.ts', 'runtime.ts']);
  });

  it('keeps the domain away from the bus and the event stream: writes publish through the unit of work', () => {
    const transport = /\/events\/(stream|feeds|pubsub)\.ts$|graphql-yoga|ioredis/;
    expect(where((f) => f.startsWith('domain/') && importsOf(f).some((i) => transport.test(i)))).toEqual([]);
    // Only the unit of work appends to the outbox.
    expect(where((f) => /\bappendEvent\(/.test(text(f)))).toEqual(['events/outbox.ts', 'events/unitOfWork.ts']);
  });

  it('holds no module-level setters of shared state', () => {
    expect(where((f) => /^export function set[A-Z]\w*\(/m.test(text(f)))).toEqual([]);
    // Process-wide memos of values that are the same for every app, and the process entry itself.
    const sameForEveryApp = {
      'auth/passwords.ts': 'the dummy hash that makes an unknown e-mail cost what a wrong password does',
      'db/schema-engine.ts': 'the compiled WASM schema engine',
      'events/sharedExecution.ts': 'a counter that names parsed documents',
      'run.ts': 'the process itself (after main.ts): whether it is already stopping',
    };
    expect(where((f) => /^let \w+/m.test(text(f)))).toEqual(Object.keys(sameForEveryApp));
  });

  it('keeps shared/ (which the web imports as it is) free of anything but shared/ and packages the web declares at the same version', () => {
    const declared = (pkg: string) => {
      const json = JSON.parse(readFileSync(join(root, pkg), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      return { ...json.dependencies, ...json.devDependencies };
    };
    const [api, web] = [declared('../package.json'), declared('../../web/package.json')];
    // Relative imports that resolve inside shared/ (its i18n folder included), or a package both declare at one version.
    const inside = (f: string, i: string) => /^\.\.?\/[\w/.-]+\.ts$/.test(i) && relative(root, join(root, f, '..', i)).startsWith('shared/');
    const shareable = (f: string, i: string) => inside(f, i) || (!i.startsWith('.') && !i.startsWith('node:') && api[i] !== undefined && api[i] === web[i]);
    expect(where((f) => f.startsWith('shared/') && importsOf(f).some((i) => !shareable(f, i)))).toEqual([]);
  });

  it('writes no global-id codec by hand (the relay plugin has them)', () => {
    expect(where((f) => /Buffer\.from\([^)]*\)\.toString\('base64'\)|Buffer\.from\([^,]+,\s*'base64'\)/.test(text(f)))).toEqual([]);
  });

  it('keeps the composition root and the server modules small', () => {
    expect(lines('server.ts')).toBeLessThan(150);
    for (const f of where((f) => /^(graphql|http)\//.test(f) || f === 'worker.ts')) expect([f, lines(f) <= 150]).toEqual([f, true]);
  });
});
