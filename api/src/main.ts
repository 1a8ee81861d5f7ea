// Process entry. First the environment that must be given before Node starts (runtime.ts: this
// process executes itself again with it, once), Node's compile cache among it (the type-stripped
// source and V8's compiled code of every module, kept between starts under node_modules/.cache: a
// start skips most of the work of loading some hundred modules). Where the process could not
// execute itself again, the cache is enabled here, before the process itself (run.ts) is loaded,
// so that every module after this one is covered.
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { COMPILE_CACHE_DIR, execWithServerEnv } from './runtime.ts';

execWithServerEnv(fileURLToPath(import.meta.url));
enableCompileCache(COMPILE_CACHE_DIR); // already on (from the environment, an operator's directory kept): a no-op
await import('./run.ts');
