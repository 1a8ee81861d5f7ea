// Rate limits with rate-limiter-flexible: in memory for one process, shared through Redis
// when REDIS_URL is set (with an in-memory insurance limiter while Redis is away).
//
// Sign-in policy: limits an attacker cannot turn against the account's owner.
// - Sign-in (and sign-up) have their own quotas; they do not spend the mutation quota, so an
//   operations centre whose volunteers share one address can sign all of them in.
//   Every sign-in attempt counts against RATE_LIMIT_SIGNINS_PER_IP_PER_MINUTE (a password
//   check is costly); sign-ups against RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR.
// - Wrong passwords are counted per (e-mail, address) pair. After
//   RATE_LIMIT_SIGNIN_FAILURES_PER_PAIR of them, that pair waits before it may try again:
//   RATE_LIMIT_SIGNIN_DELAY_SECONDS, doubling with each further failure, and with each attempt
//   made before the wait is over (refused, its password unchecked), up to
//   RATE_LIMIT_SIGNIN_MAX_DELAY_SECONDS. Only that pair waits: the owner signing in from
//   another address does not. A successful sign-in clears the pair's count.
// - Much higher ceilings bound what many addresses, or one address, can do in 15 minutes:
//   RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL wrong passwords for one e-mail from all addresses
//   together (a distributed guess), RATE_LIMIT_SIGNIN_FAILURES_PER_IP from one address for all
//   e-mails together (password spraying). Attempts refused for waiting are not counted there,
//   so hammering one pair cannot exhaust the e-mail's ceiling.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors.ts';

export type RateLimitSettings = {
  redisUrl?: string;
  signInsPerIpPerMinute: number;
  signInFailuresPerPair: number;
  signInDelaySeconds: number;
  signInMaxDelaySeconds: number;
  signInFailuresPerEmail: number;
  signInFailuresPerIp: number;
  signUpsPerIpPerHour: number;
  mutationsPerMinute: number;
  apiKeyOperationsPerMinute: number;
  geocodesPerMinute: number;
};

export type RateLimits = {
  /** Before checking a password: counts the attempt; refuses while the pair waits or a ceiling is reached. */
  assertSignInAllowed(email: string, ip: string): Promise<void>;
  /** After a wrong password: may start (or lengthen) the pair's wait. */
  recordSignInFailure(email: string, ip: string): Promise<void>;
  /** After the right password: the pair starts afresh. */
  recordSignInSuccess(email: string, ip: string): Promise<void>;
  signUp(ip: string): Promise<void>;
  /** Every mutation but signIn and signUp, per signed-in user or per address. */
  mutation(key: string): Promise<void>;
  /** Every operation (query, mutation, subscribe) and export made with one API key. */
  apiKey(keyId: string): Promise<void>;
  /** Every address search (it may call an outside service), per person or API key. */
  geocode(key: string): Promise<void>;
  close(): void;
};

const FIFTEEN_MINUTES = 15 * 60;
/** How long a pair's failures are remembered without a new one. */
const PAIR_MEMORY = 24 * 60 * 60;

function limiterFactory(redis: Redis | null) {
  return (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({ storeClient: redis, keyPrefix: `rl:${keyPrefix}`, points, duration, insuranceLimiter: memory });
  };
}

function rejected(res: unknown, what: string): AppError {
  const ms = res instanceof RateLimiterRes ? res.msBeforeNext : 60_000;
  const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  return new AppError(ErrorCode.RATE_LIMITED, `Too many ${what}. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
}

async function take(limiter: RateLimiterAbstract, key: string, what: string) {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof Error) throw res;
    throw rejected(res, what);
  }
}

/** The wait after a pair's `failures`-th failure: none below the threshold, then doubling up to the cap. Pure. */
export function signInDelaySeconds(s: Pick<RateLimitSettings, 'signInFailuresPerPair' | 'signInDelaySeconds' | 'signInMaxDelaySeconds'>, failures: number): number {
  if (failures < s.signInFailuresPerPair) return 0;
  const doublings = Math.min(failures - s.signInFailuresPerPair, 30);
  return Math.min(s.signInMaxDelaySeconds, s.signInDelaySeconds * 2 ** doublings);
}

export function createRateLimits(s: RateLimitSettings): RateLimits {
  const redis = s.redisUrl ? new Redis(s.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  redis?.on('error', () => {});
  const make = limiterFactory(redis);
  const signIns = make('signin-attempt-ip', s.signInsPerIpPerMinute, 60);
  // Failures since the pair's last success (the points are never the limit; the count is).
  const pairFailures = make('signin-fail-pair', Number.MAX_SAFE_INTEGER, PAIR_MEMORY);
  // A pair waiting is a block on this limiter, as long as the wait.
  const pairWait = make('signin-wait-pair', 1, s.signInMaxDelaySeconds);
  const perEmail = make('signin-email', s.signInFailuresPerEmail, FIFTEEN_MINUTES);
  const perIp = make('signin-ip', s.signInFailuresPerIp, FIFTEEN_MINUTES);
  const signUps = make('signup-ip', s.signUpsPerIpPerHour, 60 * 60);
  const mutations = make('mutation', s.mutationsPerMinute, 60);
  const apiKeys = make('api-key', s.apiKeyOperationsPerMinute, 60);
  const geocodes = make('geocode', s.geocodesPerMinute, 60);
  const pair = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;

  /** Counts one more failure of the pair; the wait it now owes, if any, as the limiter's answer. */
  async function fail(key: string): Promise<RateLimiterRes | null> {
    const { consumedPoints } = await pairFailures.penalty(key);
    const wait = signInDelaySeconds(s, consumedPoints);
    return wait > 0 ? pairWait.block(key, wait) : null;
  }

  return {
    async assertSignInAllowed(email, ip) {
      await take(signIns, ip, 'sign-in attempts from this address');
      const key = pair(email, ip);
      const waiting = await pairWait.get(key);
      // Trying again before the wait is over doubles it.
      if (waiting && waiting.remainingPoints <= 0) throw rejected(await fail(key), 'failed sign-in attempts');
      for (const [limiter, k] of [
        [perEmail, email.toLowerCase()],
        [perIp, ip],
      ] as const) {
        const res = await limiter.get(k);
        if (res && res.remainingPoints <= 0) throw rejected(res, 'failed sign-in attempts');
      }
    },
    async recordSignInFailure(email, ip) {
      await Promise.all([fail(pair(email, ip)), perEmail.penalty(email.toLowerCase()), perIp.penalty(ip)].map((p) => p.catch(() => {})));
    },
    async recordSignInSuccess(email, ip) {
      const key = pair(email, ip);
      await Promise.all([pairFailures.delete(key), pairWait.delete(key)].map((p) => p.catch(() => {})));
    },
    signUp: (ip) => take(signUps, ip, 'sign-ups from this address'),
    mutation: (key) => take(mutations, key, 'changes'),
    apiKey: (keyId) => take(apiKeys, keyId, 'requests with this API key'),
    geocode: (key) => take(geocodes, key, 'address searches'),
    close: () => redis?.disconnect(),
  };
}
