// Rate limits with rate-limiter-flexible: in memory for one process, shared through Redis
// when REDIS_URL is set (with an in-memory insurance limiter while Redis is away).
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors.ts';

export type RateLimitSettings = {
  redisUrl?: string;
  signInFailuresPerEmail: number;
  signInFailuresPerIp: number;
  signUpsPerIpPerHour: number;
  mutationsPerMinute: number;
};

export type RateLimits = {
  /** Before checking a password: refuse while this e-mail or address is locked out. */
  assertSignInAllowed(email: string, ip: string): Promise<void>;
  /** After a wrong password. */
  recordSignInFailure(email: string, ip: string): Promise<void>;
  signUp(ip: string): Promise<void>;
  /** Every mutation, per signed-in user or per address. */
  mutation(key: string): Promise<void>;
  close(): void;
};

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

export function createRateLimits(s: RateLimitSettings): RateLimits {
  const redis = s.redisUrl ? new Redis(s.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  redis?.on('error', () => {});
  const make = limiterFactory(redis);
  const perEmail = make('signin-email', s.signInFailuresPerEmail, 15 * 60);
  const perIp = make('signin-ip', s.signInFailuresPerIp, 15 * 60);
  const signUps = make('signup-ip', s.signUpsPerIpPerHour, 60 * 60);
  const mutations = make('mutation', s.mutationsPerMinute, 60);
  return {
    async assertSignInAllowed(email, ip) {
      for (const [limiter, key] of [
        [perEmail, email],
        [perIp, ip],
      ] as const) {
        const res = await limiter.get(key);
        if (res && res.remainingPoints <= 0) throw rejected(res, 'failed sign-in attempts');
      }
    },
    async recordSignInFailure(email, ip) {
      await Promise.all([perEmail.penalty(email).catch(() => {}), perIp.penalty(ip).catch(() => {})]);
    },
    signUp: (ip) => take(signUps, ip, 'sign-ups from this address'),
    mutation: (key) => take(mutations, key, 'changes'),
    close: () => redis?.disconnect(),
  };
}
