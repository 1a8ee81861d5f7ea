// The app's metrics (Prometheus, through prom-client), in a registry of its own: two apps in
// one process count apart. Counters and histograms are updated where things happen (GraphQL
// operations, HTTP responses, the event stream, the unit of work, the worker, rate limits);
// gauges of the app's state (sockets, subscribers, outbox lag, pool, Redis) are read when
// Prometheus scrapes, from the sources the composition root hands to `observe`.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Operation names come from clients: past this many distinct ones, the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the scrape reads of the running app. */
export type AppState = {
  sockets(): number;
  subscribers(): number;
  /** Events read by the stream but not yet taken by their subscribers (all subscribers together). */
  bufferedEvents(): number;
  /** Replays waiting for their share of the process's replay budget. */
  replaysWaiting(): number;
  /** The share of the event loop replays may take now (events/replayBudget.ts). */
  replayShare(): number;
  /** Writes waiting for the fan-out of the write before them (events/writeAdmission.ts). */
  writesWaiting(): number;
  /** The newest event this process's stream has read and handed out. */
  deliveredSeq(): bigint;
  /** The newest committed event in the outbox; throws while the database is away. */
  committedSeq(): Promise<bigint>;
  /** PostgreSQL pool counts; null on the embedded database (one connection, no pool). */
  pool(): { total: number; idle: number; waiting: number } | null;
  redis(): 'none' | 'up' | 'down';
};

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Histogram<L>({ name, help, labelNames, buckets: SECONDS, registers });

  const names = new Set<string>();
  const jobLastSuccess = new Map<string, number>();
  const started = Date.now();

  const metrics = {
    registry,
    graphqlOperations: counter('mutual_aid_graphql_operations_total', 'GraphQL operations by name, type and outcome (ok, a typed error code, or unexpected)', ['operation', 'type', 'outcome']),
    graphqlDuration: histogram('mutual_aid_graphql_operation_duration_seconds', 'Time to execute a GraphQL operation (for subscriptions: to set it up)', ['operation', 'type', 'outcome']),
    subscriptionsActive: new Gauge({ name: 'mutual_aid_graphql_subscriptions_active', help: 'Subscriptions live now, by operation', labelNames: ['operation'], registers }),
    httpRequests: counter('mutual_aid_http_requests_total', 'HTTP responses by route, method and status', ['route', 'method', 'status']),
    httpDuration: histogram('mutual_aid_http_request_duration_seconds', 'Time to answer an HTTP request', ['route']),
    eventsWritten: counter('mutual_aid_events_written_total', 'Need events committed to the outbox by this process'),
    eventsDelivered: counter('mutual_aid_events_delivered_total', "Need events this process's stream read from the outbox and handed to its subscribers"),
    sharedExecutions: counter('mutual_aid_shared_subscription_executions_total', 'Events executed for a group of WebSocket subscriptions with the same payload (executed), and deliveries that reused that execution (reused)', ['outcome']),
    directFrames: counter('mutual_aid_subscription_frames_direct_total', "Live frames of shared subscriptions sent straight from the event stream to the socket, without the subscription's chain of async iterators"),
    eventsReplayed: counter('mutual_aid_events_replayed_total', 'Stored need events replayed to subscribers resuming from a cursor'),
    eventReadFailures: counter('mutual_aid_event_read_failures_total', 'Reads of the outbox that failed (the next wake-up or poll tries again)'),
    slowConsumerCloses: counter('mutual_aid_slow_consumer_closes_total', 'Subscribers cut for falling behind: socket (4429, unsent bytes) or queue (SUBSCRIBER_TOO_SLOW, events)', ['reason']),
    tooManySubscriptionCloses: counter('mutual_aid_too_many_subscriptions_closes_total', 'Sockets closed (4429) for asking for more live operations than MAX_SUBSCRIPTIONS_PER_SOCKET'),
    // `task`, not `job`: Prometheus gives every series the scrape's own `job` label.
    workerRuns: counter('mutual_aid_worker_job_runs_total', 'Background job runs, by task', ['task']),
    workerFailures: counter('mutual_aid_worker_job_failures_total', 'Background job runs that failed, by task', ['task']),
    workerDuration: histogram('mutual_aid_worker_job_duration_seconds', 'Time a background job run took, by task', ['task']),
    rateLimitRefusals: counter('mutual_aid_rate_limit_refusals_total', 'Requests refused by a rate limiter', ['limiter']),

    /** A client's operation name as a label: bounded, so that made-up names cannot grow the registry without end. */
    operationLabel(name: string | null | undefined): string {
      if (!name) return 'anonymous';
      if (names.has(name)) return name;
      if (names.size >= MAX_OPERATION_NAMES) return 'other';
      names.add(name);
      return name;
    },

    jobFinished(task: string, ok: boolean, seconds: number) {
      metrics.workerRuns.inc({ task });
      metrics.workerDuration.observe({ task }, seconds);
      if (ok) jobLastSuccess.set(task, Date.now());
      else metrics.workerFailures.inc({ task });
    },

    /** The gauges read at scrape time; `jobs` names every background job (for their lag). */
    observe(app: AppState, jobs: readonly string[]) {
      const gauge = (name: string, help: string, collect: (this: Gauge) => void | Promise<void>, labelNames: string[] = []) =>
        new Gauge({ name, help, labelNames, registers, collect });
      gauge('mutual_aid_websocket_connections', 'Open GraphQL WebSockets', function () {
        this.set(app.sockets());
      });
      gauge('mutual_aid_event_stream_subscribers', "Subscribers of this process's event stream", function () {
        this.set(app.subscribers());
      });
      gauge('mutual_aid_event_stream_buffered_events', 'Events waiting in subscribers\' queues (each is cut past 10,000)', function () {
        this.set(app.bufferedEvents());
      });
      gauge('mutual_aid_replays_waiting', "Replays waiting for their turn in the process's replay budget (REPLAY_EVENTS_PER_SECOND)", function () {
        this.set(app.replaysWaiting());
      });
      gauge('mutual_aid_writes_waiting_for_delivery', 'Writes waiting for the fan-out of the one before them to be delivered (one at a time while fanning out an event takes over 10 ms)', function () {
        this.set(app.writesWaiting());
      });
      gauge('mutual_aid_replay_share', 'The share of the event loop replays may take now: what live traffic and requests leave, below 0.8', function () {
        this.set(app.replayShare());
      });
      // One read of the newest committed seq per scrape serves three gauges, and says whether the database answers.
      let committed: Promise<bigint | null> | null = null;
      const committedOnce = () => (committed ??= app.committedSeq().catch(() => null).finally(() => setTimeout(() => (committed = null), 0)));
      gauge('mutual_aid_database_up', '1 when the database answered the scrape, 0 when it did not', async function () {
        this.set((await committedOnce()) === null ? 0 : 1);
      });
      gauge('mutual_aid_outbox_committed_seq', 'Newest committed event (seq) in the outbox', async function () {
        const c = await committedOnce();
        if (c !== null) this.set(Number(c));
      });
      gauge('mutual_aid_outbox_delivered_seq', "Newest event (seq) this process's stream has handed out", function () {
        this.set(Number(app.deliveredSeq()));
      });
      gauge('mutual_aid_outbox_lag_events', "Newest committed seq minus the newest this process has handed out", async function () {
        const c = await committedOnce();
        if (c !== null) this.set(Math.max(0, Number(c - app.deliveredSeq())));
      });
      gauge('mutual_aid_db_pool_connections', 'PostgreSQL pool: connections by state (in_use, idle) and callers waiting for one (waiting)', function () {
        const p = app.pool();
        if (!p) return;
        this.set({ state: 'in_use' }, p.total - p.idle);
        this.set({ state: 'idle' }, p.idle);
        this.set({ state: 'waiting' }, p.waiting);
      }, ['state']);
      gauge('mutual_aid_redis_state', 'Redis: 1 for the current state (none: single process without Redis)', function () {
        const now = app.redis();
        for (const state of ['none', 'up', 'down']) this.set({ state }, state === now ? 1 : 0);
      }, ['state']);
      gauge('mutual_aid_worker_job_lag_seconds', 'Seconds since the task last succeeded (since start, if it has not yet)', function () {
        for (const task of jobs) this.set({ task }, (Date.now() - (jobLastSuccess.get(task) ?? started)) / 1000);
      }, ['task']);
    },
  };
  // Series that alerts compare with zero exist from the start.
  for (const reason of ['socket', 'queue']) metrics.slowConsumerCloses.inc({ reason }, 0);
  for (const limiter of ['sign_in', 'sign_up', 'mutation']) metrics.rateLimitRefusals.inc({ limiter }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
