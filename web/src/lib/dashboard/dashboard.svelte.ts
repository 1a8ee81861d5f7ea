// The coordinator dashboard: figures from `boardStats` (query, then the live subscription), and a feed of
// `needEvents` that starts at the figures' own cursor, so the counters and the feed never disagree, and
// resumes from its last event after a reconnect.
import { stringifyDocument, type Client } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { BoardStatsFields, BoardStatsQuery, BoardStatsSubscription } from '../graphql/dashboard.ts';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { NeedSummary } from '../graphql/needs.ts';
import { toUiError, type UiError } from '../graphql/errors.ts';
import { NeedEventStream, type NeedEvent } from '../live/needEvents.svelte.ts';

export type BoardStatsData = ResultOf<typeof BoardStatsFields>;
type StatsResult = { boardStats: FragmentOf<typeof BoardStatsFields> };
type NeedSummaryData = ResultOf<typeof NeedSummary>;

export type FeedItem = {
  cursor: string;
  type: NeedEvent['type'];
  at: string;
  needId: string;
  title: string;
  community: string;
  urgency: NeedSummaryData['urgency'];
  category: NeedSummaryData['category'];
  toStatus: NeedEvent['toStatus'];
};

const FEED_LENGTH = 60;

export class DashboardState {
  stats = $state.raw<BoardStatsData | null>(null);
  feed = $state.raw<FeedItem[]>([]);
  error = $state.raw<UiError | null>(null);
  loading = $state(true);
  /** When the figures last changed here (not the server's `asOf`, which a slow clock would skew). */
  updatedAt = $state<number | null>(null);
  readonly events = new NeedEventStream();
  #disposeStats: (() => void) | undefined;
  #generation = 0;

  /** `communityIds` null: every community the viewer may see (admins). */
  async start(client: Client, ws: WsClient, communityIds: string[] | null) {
    this.stop();
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    this.feed = [];
    const result = await client.query(BoardStatsQuery, { communityIds }, { requestPolicy: 'network-only' }).toPromise();
    if (generation !== this.#generation) return;
    this.loading = false;
    if (result.error || !result.data) {
      this.error = result.error ? toUiError(result.error) : null;
      return;
    }
    this.#setStats(result.data.boardStats);
    const cursor = this.stats?.cursor ?? null;

    // The subscription answers with the figures now, then after each change: after a reconnect it is current again.
    this.#disposeStats = ws.subscribe<StatsResult>(
      { query: stringifyDocument(BoardStatsSubscription), variables: { communityIds } },
      {
        next: (r) => {
          if (r.data?.boardStats) this.#setStats(r.data.boardStats);
        },
        error: (err) => (this.error = { code: 'unknown', key: 'error.unknown', params: {}, fields: {}, detail: String(err) }),
        complete: () => {},
      },
    );
    this.events.start(ws, communityIds ? { communityIds } : null, cursor, (event) => this.#push(event));
  }

  stop() {
    this.#generation++;
    this.#disposeStats?.();
    this.#disposeStats = undefined;
    this.events.stop();
  }

  #setStats(data: StatsResult['boardStats']) {
    this.stats = readFragment(BoardStatsFields, data);
    this.updatedAt = Date.now();
  }

  #push(event: NeedEvent) {
    const need = readFragment(NeedSummary, event.need);
    const item: FeedItem = {
      cursor: event.cursor,
      type: event.type,
      at: event.at,
      needId: event.needId,
      title: need.title,
      community: need.community.name,
      urgency: need.urgency,
      category: need.category,
      toStatus: event.toStatus,
    };
    this.feed = [item, ...this.feed].slice(0, FEED_LENGTH);
  }
}
