// Every environment variable the API reads, parsed and validated in one place.
import { z } from 'zod';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proxyaddr from '@fastify/proxy-addr';
import { isPmtilesUrl } from './shared/basemap.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `host` or `host:port`, host a name, an IPv4 address or a bracketed IPv6 address. */
export const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]/]+)(?::(\d{1,5}))?$/;

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/**
 * Which reverse proxies to believe about X-Forwarded-For and X-Forwarded-Proto: unset (or 0),
 * none; a number N, the N hops nearest the server (whatever their addresses); otherwise a
 * comma-separated list of addresses, CIDR ranges or `loopback` / `linklocal` / `uniquelocal`.
 */
const trustProxy = z
  .string()
  .default('')
  .transform((raw, ctx): false | number | string[] => {
    const v = raw.trim();
    if (/^\d+$/.test(v)) return Number(v) > 0 && Number(v);
    const list = v.split(',').map((a) => a.trim()).filter(Boolean);
    if (!list.length) return false;
    try {
      proxyaddr.compile(list);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `a number of hops or a list of addresses: ${(err as Error).message}` });
    }
    return list;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: embedded PGlite in PGLITE_DIR. Set: PostgreSQL through @prisma/adapter-pg. */
  DATABASE_URL: z.url().optional(),
  /** Data directory of the embedded database; `memory://` keeps it in memory. */
  PGLITE_DIR: z.string().default(`${repoRoot}.data/pglite`),
  /**
   * The embedded database's buffer cache (PostgreSQL's shared_buffers, in the process's memory).
   * PostgreSQL's default, 128MB, is most of an idle embedded server's footprint (bench:startup).
   */
  PGLITE_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, 'a size such as 32MB').default('32MB'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Server mode applies pending migrations at start only when asked. */
  MIGRATE_ON_START: boolish.optional(),
  /** Seed demo data at start when the database has no needs yet. */
  SEED_ON_START: boolish.default(false),
  REDIS_URL: z.url().optional(),
  /** Safety-net poll of the event outbox, for when a wake-up from the bus is lost. */
  EVENT_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /**
   * How far back a cursor may resume, in events: an older one is refused with CURSOR_EXPIRED and
   * the client loads its view again (one query) instead of replaying more than this, which would
   * cost the process what thousands of live deliveries do.
   */
  REPLAY_WINDOW_EVENTS: z.coerce.number().int().min(1).default(100_000),
  /**
   * Stored events per second that all replays of one process share, first come first served;
   * live events never wait for it. A storm of views resuming at once then costs the process a
   * bounded share of a core instead of starving live delivery and mutations.
   */
  REPLAY_EVENTS_PER_SECOND: z.coerce.number().int().min(1).default(5_000),
  /**
   * Runs of a query document that selects only public fields before it is compiled (graphql-jit,
   * graphql/jit.ts): compiling costs tens of milliseconds, which only a document that keeps
   * running (a board) pays back. 0: never compile, every query runs on the executor (a switch to
   * turn the compiled path off).
   */
  GRAPHQL_COMPILE_AFTER_RUNS: z.coerce.number().int().min(0).default(20),
  /** How long the first result of a mutation sent with an idempotency key answers its retries. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
  /** On SIGTERM/SIGINT: how long in-flight requests may take to finish before the process stops anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Origins (besides the API's own) allowed to call it from a browser with credentials: CORS and WebSockets (comma separated). */
  ALLOWED_ORIGINS: z
    .string()
    .default('http://localhost:4000,http://127.0.0.1:4000,http://localhost:5173,http://127.0.0.1:5173')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  /**
   * Operations (subscriptions, and queries still running) live at once on one WebSocket; the
   * subscribe that goes beyond closes the socket with 4429.
   */
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(50),
  /**
   * What one subscriber's socket may hold unsent in this process (bytes, frames), checked before
   * each frame is written; past either it is closed with 4429 and resumes from its cursor.
   */
  WS_MAX_PENDING_BYTES: z.coerce.number().int().min(65_536).default(4 * 1024 * 1024),
  WS_MAX_PENDING_FRAMES: z.coerce.number().int().min(16).default(2_000),
  /** Ping every open WebSocket this often; one that has not answered the previous ping is closed (with a reason). */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(1_000).default(12_000),
  /** How long a live view waits, in all, for the database to come back before it ends with SERVICE_UNAVAILABLE. */
  LIVE_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).default(180),
  TRUST_PROXY: trustProxy,
  /** Sign-in attempts from one address in a minute (their own quota, not the mutations'). */
  RATE_LIMIT_SIGNINS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** Wrong passwords for one e-mail from one address before that pair must wait. */
  RATE_LIMIT_SIGNIN_FAILURES_PER_PAIR: z.coerce.number().int().min(1).default(10),
  /** The pair's first wait; it doubles with each further failure or early attempt, up to the max. */
  RATE_LIMIT_SIGNIN_DELAY_SECONDS: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_SIGNIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  /** Ceilings per 15 minutes: wrong passwords for one e-mail from all addresses, and from one address for all e-mails. */
  RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_SIGNIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Operations (queries, mutations, subscribes) and exports one API key may make in a minute. */
  RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 30),
  CLAIM_TTL_MINUTES: z.coerce.number().positive().default(240),
  HANDOVER_AUTO_APPROVE_MINUTES: z.coerce.number().positive().default(60),
  MAX_ACTIVE_CLAIMS: z.coerce.number().int().min(1).default(5),
  /** A volunteer is warned this long before an unstarted claim expires. */
  CLAIM_EXPIRY_WARNING_MINUTES: z.coerce.number().positive().default(30),
  /** A done or cancelled need's requester contact and exact place are erased this many days after it closed. */
  RETENTION_DAYS: z.coerce.number().positive().default(90),
  /** A hotline operator sees the private details (place, requester, contact) of a need they took in for this many hours after. */
  OPERATOR_PRIVATE_HOURS: z.coerce.number().positive().default(24),
  /** Recipients of one broadcast notification (a new critical need), at most. */
  NOTIFY_MAX_RECIPIENTS: z.coerce.number().int().min(1).default(500),
  /** Directory of the built web app (SvelteKit adapter-node); served on the same port when present. */
  WEB_BUILD_DIR: z.string().default(`${repoRoot}web/build`),
  /** SMTP for e-mail notifications, e.g. smtp://user:pass@mail.example.org:587; unset = in-app only. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Mutual Aid Board <no-reply@localhost>'),
  /** Outbound SMS provider endpoint (form POST To, From, Body); unset = no replies. */
  SMS_OUTBOUND_URL: z.url().optional(),
  SMS_OUTBOUND_TOKEN: z.string().optional(),
  /** WhatsApp Business Cloud API webhook: the verify token of Meta's GET handshake, and the app secret that signs each POST (X-Hub-Signature-256); unset: closed (503). */
  WHATSAPP_VERIFY_TOKEN: z.string().min(8).optional(),
  WHATSAPP_APP_SECRET: z.string().min(8).optional(),
  /** The number texts to requesters come from when their community has no SMS number of its own. */
  SMS_FROM: z.string().trim().min(3).optional(),
  /** Inbound SMS: the provider's auth token to verify X-Twilio-Signature, and the public URL it posts to. */
  SMS_AUTH_TOKEN: z.string().optional(),
  SMS_PUBLIC_URL: z.url().optional(),
  /** Accept inbound texts without a signature when SMS_AUTH_TOKEN is unset (development and tests; refused in production). */
  SMS_ALLOW_UNSIGNED: boolish.default(false),
  /** Background work (e-mail, webhooks, expiry, handovers, shifts) runs this often. */
  WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** After a webhook's secret is rotated, deliveries are signed with the old secret too for this long. */
  WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().min(0).default(24),
  /**
   * Hosts outbound requests (webhooks) may reach although they resolve to a loopback, private,
   * link-local or other internal address: comma separated host[:port] (no port: any port).
   */
  OUTBOUND_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(HOST_PORT, 'host or host:port'))),
  /**
   * A Nominatim- or Photon-compatible address service (a self-hosted one, say): its base URL.
   * Reached through the guarded outbound client, so an internal address needs OUTBOUND_ALLOW_HOSTS.
   * Unset: the offline gazetteer alone (Israeli localities and the communities, to their centres).
   */
  GEOCODER_URL: z.preprocess((v) => v || undefined, z.url().optional()),
  /** Which API GEOCODER_URL speaks: Nominatim's /search (jsonv2) or Photon's /api (GeoJSON). */
  GEOCODER_FLAVOR: z.enum(['nominatim', 'photon']).default('nominatim'),
  /** How long the address service has to answer before the offline gazetteer answers alone. */
  GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  /** How this server names itself to the address service (Nominatim's usage policy asks for one that identifies the application). */
  GEOCODER_USER_AGENT: z.string().min(3).default('mutual-aid-board/1.0 (+https://github.com/mutual-aid; geocoding for crisis intake)'),
  /** Answers of the address service kept in memory (least recently used dropped first), and for how long. */
  GEOCODER_CACHE_SIZE: z.coerce.number().int().min(1).default(2_000),
  GEOCODER_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(24 * 60 * 60),
  /** Address searches one person (or API key) may make in a minute. */
  RATE_LIMIT_GEOCODE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /**
   * The street map: a PMTiles archive of vector tiles in the Protomaps basemap schema (an extract
   * of Israel cut from the planet build, see the README), served at /tiles/basemap.pmtiles with
   * range requests. Wins over BASEMAP_TILE_URL. Neither set: the bundled Natural Earth map.
   */
  BASEMAP_PMTILES: z.preprocess(
    (v) => v || undefined,
    z
      .string()
      .optional()
      .refine((path) => path === undefined || existsSync(path), 'no such file'),
  ),
  /**
   * An external tile service in the Protomaps basemap schema: a `{z}/{x}/{y}` template of vector
   * tiles, or the URL of a PMTiles archive (ending in .pmtiles). Fetched by the viewer's browser.
   */
  BASEMAP_TILE_URL: z.preprocess(
    (v) => v || undefined,
    z
      .url()
      .optional()
      .refine((url) => url === undefined || isPmtilesUrl(url) || ['{z}', '{x}', '{y}'].every((p) => url.includes(p)), 'a {z}/{x}/{y} template or a .pmtiles URL'),
  ),
  /** The deepest zoom the tile service has (deeper, the map enlarges its tiles); a PMTiles archive says its own. */
  BASEMAP_MAX_ZOOM: z.coerce.number().int().min(0).max(22).default(15),
  /** Credit shown on the map for the tiles' data (OpenStreetMap's licence asks for it). */
  BASEMAP_ATTRIBUTION: z.string().default('© OpenStreetMap contributors, Protomaps'),
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** A CSV import larger than this is refused (HTTP 413), read no further. */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),
  /** A line of a CSV import longer than this (without its newline) ends the import (HTTP 413). */
  IMPORT_MAX_LINE_BYTES: z.coerce.number().int().min(1).default(64 * 1024),
  /**
   * The longest a request may take to arrive, body included (Node's requestTimeout; its own
   * default, 300 s, cut a 10 MiB import off at line 72,810: an import is read only as fast as
   * its rows are saved). Headers must still arrive within Node's 60 s.
   */
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(1800),
  /**
   * Connections the kernel queues for the server before it accepts them (listen's backlog; the
   * kernel caps it at net.core.somaxconn). Node's 511 overflows when a few thousand boards
   * reconnect at once after an outage: the overflow is dropped or answered with SYN cookies, and
   * some of those connections end in a reset instead of a delay.
   */
  LISTEN_BACKLOG: z.coerce.number().int().min(1).max(65_535).default(4_096),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** JSON lines, or pino-pretty's coloured lines (when installed); unset: pretty in development, JSON otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Bearer token that /metrics asks for on the main port. */
  METRICS_TOKEN: z.preprocess((v) => v || undefined, z.string().min(16, 'at least 16 characters').optional()),
  /** Serve /metrics on this port of 127.0.0.1 (without a token) instead of the main port. */
  METRICS_PORT: z.preprocess((v) => v || undefined, z.coerce.number().int().min(0).max(65535).optional()),
}).refine((c) => !(c.NODE_ENV === 'production' && c.SMS_ALLOW_UNSIGNED), {
  path: ['SMS_ALLOW_UNSIGNED'],
  message: 'unsigned texts are never accepted in production: set SMS_AUTH_TOKEN',
});

export type Config = z.infer<typeof schema>;

/** Every setting's name (the deploy/ environment example is checked against it). */
export const settingNames: readonly string[] = Object.keys(schema.shape);

/** The process environment with `overrides` on top, parsed and validated. */
export const configFromEnvironment = (overrides: Partial<Record<string, string>> = {}): Config => loadConfig({ ...process.env, ...overrides });

/** `env` alone (not the process's environment), parsed and validated. */
export function loadConfig(env: Partial<Record<string, string>>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const repoPaths = {
  root: repoRoot,
  schema: `${repoRoot}prisma/schema.prisma`,
  migrations: `${repoRoot}prisma/migrations`,
};

/**
 * Settings of the process rather than of an app: the GraphQL schema is built once per process
 * (at import), so the few things it reads at build time come from here.
 */
export const processSettings = {
  /** Warn about Prisma selections a resolver did not use (development and tests). */
  warnUnusedQueries: process.env.NODE_ENV !== 'production',
  /** Stack traces of CLI failures. */
  debug: !!process.env.DEBUG,
};
