// The tunable rules of the domain, derived once from configuration (whose defaults live
// only in config.ts) and frozen: "a volunteer may hold at most N claims" is read here.
import type { Config } from '../config.ts';

export type Rules = Readonly<{
  claims: Readonly<{
    /** Unstarted claims expire after this long; the slot reopens. */
    ttlMinutes: number;
    /** No hoarding: at most this many ACTIVE or STARTED claims per volunteer. */
    maxActivePerVolunteer: number;
  }>;
  sessions: Readonly<{ ttlHours: number }>;
  /** A holder who does not answer a handover request within this long approves it. */
  handover: Readonly<{ autoApproveMinutes: number }>;
  notifications: Readonly<{
    /** Warn a volunteer this long before an unstarted claim expires. */
    expiryWarningMinutes: number;
    maxEmailAttempts: number;
    emailRetryBaseMs: number;
    /** Recipients of one broadcast (a new critical need), at most. */
    maxRecipients: number;
  }>;
  webhooks: Readonly<{
    maxAttempts: number;
    retryBaseMs: number;
    timeoutMs: number;
    /** After a rotation, the old secret signs deliveries too (a second v1) for this long. */
    secretGraceHours: number;
  }>;
  /** CSV imports: the largest file and the longest line read, in bytes. */
  imports: Readonly<{ maxBytes: number; maxLineBytes: number }>;
  /** A closed need's requester contact and exact place are erased this long after it closed. */
  retention: Readonly<{ days: number }>;
  /** A hotline operator sees the private details of a need they took in for this long after (domain/privacy.ts). */
  intake: Readonly<{ operatorPrivateHours: number }>;
}>;

export function rulesFrom(config: Config): Rules {
  return deepFreeze({
    claims: { ttlMinutes: config.CLAIM_TTL_MINUTES, maxActivePerVolunteer: config.MAX_ACTIVE_CLAIMS },
    sessions: { ttlHours: config.SESSION_TTL_HOURS },
    handover: { autoApproveMinutes: config.HANDOVER_AUTO_APPROVE_MINUTES },
    notifications: {
      expiryWarningMinutes: config.CLAIM_EXPIRY_WARNING_MINUTES,
      maxEmailAttempts: config.EMAIL_MAX_ATTEMPTS,
      emailRetryBaseMs: config.EMAIL_RETRY_BASE_MS,
      maxRecipients: config.NOTIFY_MAX_RECIPIENTS,
    },
    webhooks: {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      secretGraceHours: config.WEBHOOK_SECRET_GRACE_HOURS,
    },
    imports: { maxBytes: config.IMPORT_MAX_BYTES, maxLineBytes: config.IMPORT_MAX_LINE_BYTES },
    retention: { days: config.RETENTION_DAYS },
    intake: { operatorPrivateHours: config.OPERATOR_PRIVATE_HOURS },
  });
}

/** When a claim taken (or extended) at `at` expires unless started. */
export const claimExpiresAt = (rules: Rules, at: Date): Date => new Date(at.getTime() + rules.claims.ttlMinutes * 60_000);

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
