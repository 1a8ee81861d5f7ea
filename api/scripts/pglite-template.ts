// Builds the embedded database's template (src/db/template.ts) for the current migrations, so
// that a new PGlite database starts from it; run by `pnpm install` after the client is generated.
// Nothing to do when it exists. A failure here only costs speed: the first start builds it.
import { ensureTemplate } from '../src/db/templateBuild.ts';

try {
  const built = await ensureTemplate();
  console.log(built === 'exists' ? 'pglite template: up to date' : `pglite template: built (${built} migrations)`);
} catch (err) {
  console.warn(`pglite template: not built (${(err as Error).message}); the first start of a new embedded database builds it`);
}
