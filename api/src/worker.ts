// Background work, safe to run in every process: each job leases or locks what it takes, so
// several API processes may run the same list at once without doing anything twice.
import type { Services } from './services.ts';
import { isDatabaseUnavailable } from './db/errors.ts';
import { releaseExpiredClaims } from './domain/claims.ts';
import { warnExpiringClaims, deliverEmails } from './domain/notifications.ts';
import { autoApproveHandovers } from './domain/handover.ts';
import { refreshAllSeries } from './domain/recurrence.ts';
import { enqueueWebhookDeliveries, deliverWebhooks } from './domain/webhooks.ts';
import { eraseExpiredOfferDetails, eraseExpiredPrivateData } from './domain/retention.ts';
import { redrawIdDerivedPublicPoints } from './domain/publicPointRedraw.ts';
import { sendInvitationEmails } from './domain/invitations.ts';
import { sendRequesterTexts } from './domain/requesterTexts.ts';
import { purgeExpiredIdempotencyKeys } from './events/idempotencyPurge.ts';

export const JOBS: readonly (readonly [name: string, run: (s: Services) => Promise<unknown>])[] = [
  ['claim expiry', releaseExpiredClaims],
  ['expiry warnings', warnExpiringClaims],
  ['handover auto-approval', autoApproveHandovers],
  ['shift board', refreshAllSeries],
  ['webhook queue', enqueueWebhookDeliveries],
  ['webhook delivery', deliverWebhooks],
  ['e-mail delivery', deliverEmails],
  ['requester texts', sendRequesterTexts],
  ['retention', eraseExpiredPrivateData],
  ['offer retention', eraseExpiredOfferDetails],
  ['idempotency keys', purgeExpiredIdempotencyKeys],
  // Once per database (recorded in DataJob); afterwards one lookup per round.
  ['public point redraw', redrawIdDerivedPublicPoints],
  ['invitation e-mail', sendInvitationEmails],
];

/** Runs every job in turn; one failing does not stop the others. Returns the failures by job. */
export async function runJobs(s: Services): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  for (const [name, job] of JOBS) {
    const started = performance.now();
    try {
      await job(s);
      s.metrics.jobFinished(name, true, (performance.now() - started) / 1000);
    } catch (err) {
      failures.set(name, err as Error);
      s.metrics.jobFinished(name, false, (performance.now() - started) / 1000);
      // The database away for a moment is expected (the next round tries again): no stack for it.
      if (isDatabaseUnavailable(err)) s.log.warn({ job: name, cause: (err as Error).message }, `worker: ${name} failed, the database is unavailable`);
      else s.log.error({ err, job: name }, `worker: ${name} failed`);
    }
  }
  return failures;
}

/**
 * Every WORKER_INTERVAL_MS, the job list (never two rounds at once in one process). `stop`
 * starts no further round and resolves once the running one (if any) is over.
 */
export function startWorker(s: Services): { stop(): Promise<void> } {
  let working: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (working) return;
    working = runJobs(s).finally(() => (working = null));
  }, s.config.WORKER_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await working;
    },
  };
}
