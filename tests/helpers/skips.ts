// Suites that need what this machine or this run may not have (a PostgreSQL server, its programs, Redis)
// declare it, and are skipped with the reason when it is missing: the run's closing summary
// (helpers/skipSummary.ts) lists every skipped suite with its reason.
//
//   describe('faults on PostgreSQL', requires(postgresServer, postgresPrograms), () => { ... });
import type { SuiteOptions } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serverUrl } from './db.ts';
import { postgresBinDir } from './postgresCluster.ts';
import { redisServerAvailable } from './redisServer.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the suite (and so each of its tests) was skipped. */
    skipReason?: string;
  }
}

/** Whether the run has it, and, when it has not, why a suite that needs it is skipped. */
export type Requirement = { met: boolean; missing: string };

export const postgresServer: Requirement = {
  met: !!serverUrl,
  missing: 'needs a PostgreSQL server, and this run is on the embedded database: set TEST_POSTGRES_URL (pnpm test:postgres)',
};

export const postgresPrograms: Requirement = {
  met: postgresBinDir() !== null,
  missing: "needs PostgreSQL's programs for a throwaway cluster (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql",
};

export const redisServerProgram: Requirement = {
  met: redisServerAvailable,
  missing: 'needs redis-server on PATH to start and kill its own Redis: apt-get install redis-server',
};

const runs = (program: string, args: string[]) => spawnSync(program, args, { stdio: 'ignore' }).error === undefined;
/** nginx's program (often in /usr/sbin, outside a user's PATH), or null. */
export const nginxBinary = runs('nginx', ['-v']) ? 'nginx' : existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : null;

/** nginx, and openssl for a throwaway certificate, to check deploy/nginx's configuration. */
export const nginxProgram: Requirement = {
  met: nginxBinary !== null && runs('openssl', ['version']),
  missing: 'needs nginx and openssl to check deploy/nginx/mutual-aid.conf: apt-get install nginx-light openssl',
};

export const embeddedDatabase: Requirement = {
  met: !serverUrl,
  missing: 'covers the embedded database (PGlite), and this run is on PostgreSQL (TEST_POSTGRES_URL is set)',
};

/** Options for `describe`: skipped, with every unmet requirement as its reason, unless all are met. */
export function requires(...requirements: Requirement[]): SuiteOptions {
  const missing = requirements.filter((r) => !r.met).map((r) => r.missing);
  return missing.length ? { skip: true, meta: { skipReason: missing.join('; ') } } : {};
}
