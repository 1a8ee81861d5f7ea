// The composition of one app: everything a domain function may need, built once from config
// and frozen. Domain code receives it as its first argument; nothing lives at module level,
// so two apps (two tests, or a server and a CLI) can run side by side in one process.
import nodemailer from 'nodemailer';
import type { Config } from './config.ts';
import { ErrorCode, type AppError } from './errors.ts';
import { openDatabase, type Database } from './db/client.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { Clock } from './domain/clock.ts';
import { rulesFrom, type Rules } from './domain/rules.ts';
import { createBus, type Bus } from './events/pubsub.ts';
import { EventStream } from './events/stream.ts';
import { Sequencer } from './events/outbox.ts';
import { createRateLimits, type RateLimits } from './auth/rateLimits.ts';
import { createSessionReader, type SessionReader } from './auth/sessionReader.ts';
import { createTurns, type Turns } from './events/turns.ts';
import { createCommunityReader, type CommunityReader } from './domain/communityReader.ts';
import { HttpSmsSender, type SmsSender } from './domain/sms.ts';
import { createOutbound, type Outbound } from './domain/outbound.ts';
import { proxyTrust, type ProxyTrust } from './http/proxy.ts';
import { createLogging, type DestinationStream, type Logger, type RequestScope } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { createIdempotency, type Idempotency } from './events/idempotency.ts';
import type { Geocoding } from './geocoding/geocoder.ts';
import { createRemoteGeocoder } from './geocoding/remote.ts';
import { createGazetteer, readLocalities } from './geocoding/gazetteer.ts';

/** Where e-mail goes: SMTP when configured. */
export type Mailer = { send(message: { to: string; subject: string; text: string }): Promise<void> };

export type Services = Readonly<{
  config: Config;
  db: Database;
  prisma: PrismaClient;
  clock: Clock;
  rules: Rules;
  bus: Bus;
  /** Gives committed events their place in the stream (`seq`); read paths stamp before reading. */
  sequencer: Sequencer;
  /** The process's reader of the event outbox; started by the server, idle in a CLI. */
  stream: EventStream;
  /** Reads sessions as they are now, those asked for in one turn of the loop together. */
  sessions: SessionReader;
  /** Units of work on one key (a need's places) in this process, one after another (events/turns.ts). */
  turns: Turns;
  /** Reads communities as they are now, those asked for in one turn of the loop together (a board's needs). */
  communities: CommunityReader;
  limits: RateLimits;
  mail: Mailer | null;
  sms: SmsSender | null;
  /** The guarded client for requests to URLs users give (webhooks): no internal addresses. */
  outbound: Outbound;
  /** What to believe of reverse proxies (TRUST_PROXY): client addresses and HTTPS. */
  proxy: ProxyTrust;
  /** The app's structured log (pino, JSON lines); lines written during a request carry its id. */
  log: Logger;
  /** The request being handled (id, operation, viewer), for the log and the response header. */
  requestScope: AsyncLocalStorage<RequestScope>;
  /** The app's Prometheus registry and instruments (observability/metrics.ts). */
  metrics: Metrics;
  /** The mutation with an idempotency key being executed, for its units of work (events/idempotency.ts). */
  idempotency: Idempotency;
  /** Addresses to places: the configured address service (GEOCODER_URL), and the offline gazetteer. */
  geocoding: Geocoding;
}>;

/** What a test (or an embedding program) may hand in instead of the defaults. */
export type ServiceOptions = { logDestination?: DestinationStream };

export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const { log, scope } = createLogging(config, options.logDestination);
  const metrics = createMetrics();
  // Outside any request's scope: an idle connection failing belongs to no request (it would otherwise carry the id of the one that opened it).
  // The embedded database migrates itself at start (db/prepare.ts) unless told not to: a new one
  // may as well start from the migrated template.
  const db = openDatabase(config, { warn: (obj: object, msg: string) => scope.exit(() => log.warn(obj, msg)) }, { fromTemplate: config.MIGRATE_ON_START ?? true });
  const bus = createBus(config.REDIS_URL);
  const outbound = createOutbound({ allowHosts: config.OUTBOUND_ALLOW_HOSTS });
  const sequencer = new Sequencer(db.prisma);
  return Object.freeze({
    config,
    db,
    prisma: db.prisma,
    clock: new Clock(),
    rules: rulesFrom(config),
    bus,
    sequencer,
    stream: new EventStream({
      prisma: db.prisma,
      sequencer,
      bus,
      pollMs: config.EVENT_POLL_MS,
      observers: { metrics, log },
      retry: { giveUpAfterMs: config.LIVE_RETRY_MAX_SECONDS * 1000 },
      replayWindowEvents: config.REPLAY_WINDOW_EVENTS,
      replayEventsPerSecond: config.REPLAY_EVENTS_PER_SECOND,
    }),
    sessions: createSessionReader(db.prisma),
    turns: createTurns(),
    communities: createCommunityReader(db.prisma),
    limits: countRefusals(metrics, createRateLimits({
      redisUrl: config.REDIS_URL,
      signInsPerIpPerMinute: config.RATE_LIMIT_SIGNINS_PER_IP_PER_MINUTE,
      signInFailuresPerPair: config.RATE_LIMIT_SIGNIN_FAILURES_PER_PAIR,
      signInDelaySeconds: config.RATE_LIMIT_SIGNIN_DELAY_SECONDS,
      signInMaxDelaySeconds: config.RATE_LIMIT_SIGNIN_MAX_DELAY_SECONDS,
      signInFailuresPerEmail: config.RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL,
      signInFailuresPerIp: config.RATE_LIMIT_SIGNIN_FAILURES_PER_IP,
      signUpsPerIpPerHour: config.RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR,
      mutationsPerMinute: config.RATE_LIMIT_MUTATIONS_PER_MINUTE,
      apiKeyOperationsPerMinute: config.RATE_LIMIT_API_KEY_PER_MINUTE,
      geocodesPerMinute: config.RATE_LIMIT_GEOCODE_PER_MINUTE,
    })),
    mail: config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : null,
    sms: config.SMS_OUTBOUND_URL ? new HttpSmsSender(config.SMS_OUTBOUND_URL, config.SMS_OUTBOUND_TOKEN) : null,
    outbound,
    proxy: proxyTrust(config.TRUST_PROXY),
    log,
    requestScope: scope,
    metrics,
    idempotency: createIdempotency(),
    geocoding: {
      service: config.GEOCODER_URL
        ? createRemoteGeocoder(outbound, {
            url: config.GEOCODER_URL,
            flavor: config.GEOCODER_FLAVOR,
            timeoutMs: config.GEOCODER_TIMEOUT_MS,
            userAgent: config.GEOCODER_USER_AGENT,
            cacheSize: config.GEOCODER_CACHE_SIZE,
            cacheTtlMs: config.GEOCODER_CACHE_TTL_SECONDS * 1000,
          })
        : null,
      offline: createGazetteer(() => readLocalities(), () => db.prisma.community.findMany({ select: { name: true, slug: true, centerLat: true, centerLng: true, aliases: true } })),
    },
  });
}

/** The rate limits, each refusal (RATE_LIMITED) counted by limiter. */
function countRefusals(metrics: Metrics, limits: RateLimits): RateLimits {
  const counted = <A extends unknown[]>(limiter: string, check: (...args: A) => Promise<void>) => async (...args: A) => {
    try {
      await check(...args);
    } catch (err) {
      if ((err as AppError).extensions?.code === ErrorCode.RATE_LIMITED) metrics.rateLimitRefusals.inc({ limiter });
      throw err;
    }
  };
  return {
    ...limits,
    assertSignInAllowed: counted('sign_in', limits.assertSignInAllowed),
    signUp: counted('sign_up', limits.signUp),
    mutation: counted('mutation', limits.mutation),
    geocode: counted('geocode', limits.geocode),
  };
}

export async function closeServices(s: Services): Promise<void> {
  s.stream.stop();
  await s.bus.close();
  s.limits.close();
  await s.db.close();
  s.log.flush();
}

function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return { send: async (m) => void (await transport.sendMail({ from, ...m })) };
}
