// Debian's Chromium for the browser tests (never a downloaded browser), found before any test runs.
// As a vitest globalSetup: when the run includes browser tests (tests/web/) and Chromium is missing, it is
// installed with apt-get when this process may (root, apt-get on PATH), or the run stops at once with one
// line saying what to run, instead of every browser suite failing to launch it later.
//   CHROMIUM_PATH=/path/to/chromium   use that browser (it must exist; nothing is installed for it)
//   CHROMIUM_NO_INSTALL=1             never install, only check (as on a machine without root or apt-get)
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
// Waits for another apt-get (a parallel install) rather than failing on its lock.
const INSTALL = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium';
const sudo = process.getuid?.() === 0 ? '' : 'sudo ';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (name: string) => (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find(executable);

/** The Chromium to launch: CHROMIUM_PATH when set, else Debian's, else `chromium` on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return executable(chosen) ? chosen : undefined;
  return executable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : onPath('chromium');
}

/** Why this process cannot install Chromium itself, or null when it can. */
function cannotInstall(): string | null {
  if (process.env.CHROMIUM_NO_INSTALL === '1') return 'CHROMIUM_NO_INSTALL=1';
  if (process.getuid?.() !== 0) return 'not root';
  if (!onPath('apt-get')) return 'no apt-get';
  return null;
}

function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const missing = (why: string) =>
  `Browser tests need Chromium, not found at ${DEBIAN_CHROMIUM} or on PATH (${why}): run \`${sudo}apt-get update && ${sudo}apt-get install -y chromium\`, then the tests again.`;

/** Finds Chromium, installing Debian's when this process may; otherwise stops the process with one line. */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) stop(`Browser tests: CHROMIUM_PATH=${chosen} is not an executable: point it at Chromium, or unset it to use Debian's (\`${sudo}apt-get install -y chromium\`).`);
  const why = cannotInstall();
  if (why) stop(missing(why));
  process.stderr.write(`Chromium not found: installing Debian's (${INSTALL}) ...\n`);
  const install = spawnSync('sh', ['-c', INSTALL], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const installed = findChromium();
  if (install.status !== 0 || !installed) {
    process.stderr.write(install.stderr ?? '');
    stop(missing(`apt-get install exited with ${install.status ?? install.signal}`));
  }
  return installed;
}

/** globalSetup: only a run that includes browser tests needs the browser. */
export default function setup(project: TestProject) {
  const files = project.vitest.state.getPaths();
  if (files.length === 0 || files.some((file) => /[\\/]web[\\/][^\\/]+\.test\.ts$/.test(file))) ensureChromium();
}
