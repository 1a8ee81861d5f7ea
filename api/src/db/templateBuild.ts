// Builds the embedded database's template (template.ts) for the current migrations when there
// is none: a new in-memory PGlite, every migration through the schema engine, then its dump.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { applyMigrations } from './migrations.ts';
import { hasTemplate, readTemplate, saveTemplate, templateKey, unpackTemplate } from './template.ts';

/** 'exists' when the template was already there, else the number of migrations it holds. */
export async function ensureTemplate(): Promise<'exists' | number> {
  const key = templateKey();
  if (hasTemplate(key)) return 'exists';
  // Archived by an earlier version, which kept only that form.
  if (readTemplate(key)) {
    await unpackTemplate(key);
    return 'exists';
  }
  const client = new PGlite('memory://');
  try {
    const { applied } = await applyMigrations({ adapterFactory: new PrismaPGlite(client) as unknown as SqlDriverAdapterFactory });
    await saveTemplate(client, key);
    return applied.length;
  } finally {
    await client.close();
  }
}
