import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { openSchemaEngine } from '../src/db/schema-engine.ts';
const f = () => new PrismaPGlite(new PGlite('memory://')) as unknown as SqlDriverAdapterFactory;
const e1 = await openSchemaEngine(f());
try { await e1.run('debugPanic', async (e) => e.debugPanic()); } catch (err) { console.log('PANIC ->', (err as Error).message.slice(0, 300)); }
try {
const e2 = await openSchemaEngine(f());
const d = await e2.run('diff', (e) => e.diff({ from: { tag: 'empty' }, to: { tag: 'empty' }, script: true, exitCode: true, filters: { externalTables: [], externalEnums: [] } }));
console.log('after panic ok', d);
} catch (err) { console.log('AFTER PANIC ERR', (err as Error).message.slice(0, 300)); }
