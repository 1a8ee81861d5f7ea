// Process entry. First the environment that must be given before Node starts (runtime.ts: this
// process executes itself again with it, once). Then Node's compile cache (the type-stripped
// source and V8's compiled code of every module, kept between starts under node_modules/.cache: a
// start skips most of the work of loading some hundred modules; Node checks each file's content,
// so an edited file is compiled again), then the process itself (run.ts), loaded after it so that
// every module is covered.
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { execWithServerEnv } from './runtime.ts';

execWithServerEnv(fileURLToPath(import.meta.url));
// A file path (a URL's pathname would keep %20 for a space in the checkout's path).
enableCompileCache(fileURLToPath(new URL('../../node_modules/.cache/mutual-aid/node-compile', import.meta.url)));
await import('./run.ts');
