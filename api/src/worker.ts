// Background work, safe to run in every process: each job leases or locks what it takes, so
// several API processes may run the same list at once without doing anything twice.
import type { Services } from './services.ts';
import { releaseExpiredClaims } from './domain/claims.ts';
import { warnExpiringClaims, deliverEmails } from './domain/notifications.ts';
import { autoApproveHandovers } from './domain/handover.ts';
import { refreshAllSeries } from './domain/recurrence.ts';
import { enqueueWebhookDeliveries, deliverWebhooks } from './domain/webhooks.ts';
import { sendInvitationEmails } from './domain/invitations.ts';

export const JOBS: readonly (readonly [name: string, run: (s: Services) => Promise<unknown>])[] = [
  ['claim expiry', releaseExpiredClaims],
  ['expiry warnings', warnExpiringClaims],
  ['handover auto-approval', autoApproveHandovers],
  ['shift board', refreshAllSeries],
  ['webhook queue', enqueueWebhookDeliveries],
  ['webhook delivery', deliverWebhooks],
  ['e-mail delivery', deliverEmails],
  ['invitation e-mail', sendInvitationEmails],
];

/** Runs every job in turn; one failing does not stop the others. Returns the failures by job. */
export async function runJobs(s: Services): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  for (const [name, job] of JOBS) {
    try {
      await job(s);
    } catch (err) {
      failures.set(name, err as Error);
      if (s.config.LOG_LEVEL !== 'silent') console.error(`[worker] ${name} failed:`, (err as Error).message);
    }
  }
  return failures;
}

/** Every WORKER_INTERVAL_MS, the job list (never two rounds at once in one process). */
export function startWorker(s: Services): { stop(): void } {
  let working = false;
  const timer = setInterval(() => {
    if (working) return;
    working = true;
    void runJobs(s).finally(() => (working = false));
  }, s.config.WORKER_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
