// The coordinator dashboard: figures from the `boardStats` subscription (which answers at once, then after
// every change, and again at once after a reconnect), and a feed of `needEvents` that starts at the first
// figures' own cursor, so the counters and the feed never disagree, and resumes from its last event after
// a reconnect. Opened while the API is out of reach, it waits for it (graphql-ws keeps trying) instead of
// showing an error for good.
import { stringifyDocument } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { BoardStatsFields, BoardStatsSubscription } from '../graphql/dashboard.ts';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { NeedSummary } from '../graphql/needs.ts';
import { toUiErrorFromWs, type UiError } from '../graphql/errors.ts';
import { NeedEventStream, type NeedEvent, type StaleCursor } from '../live/needEvents.svelte.ts';
import { resubscribing } from '../graphql/resubscribe.ts';

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
  /** Until the first figures (or an error) arrive. */
  loading = $state(true);
  /** Figures have arrived and the subscription has not failed since. */
  live = $state(false);
  /** When the figures last changed here (not the server's `asOf`, which a slow clock would skew). */
  updatedAt = $state<number | null>(null);
  /** When the dashboard last started again because the server no longer knew its cursor. */
  reloadedAt = $state<number | null>(null);
  reloadReason = $state<StaleCursor | null>(null);
  readonly events = new NeedEventStream();
  #disposeStats: (() => void) | undefined;

  /** `communityIds` null: every community the viewer may see (admins). */
  start(ws: WsClient, communityIds: string[] | null) {
    this.stop();
    this.loading = true;
    this.error = null;
    this.feed = [];
    let feedStarted = false;
    this.#disposeStats = resubscribing<StatsResult>(
      ws,
      { query: stringifyDocument(BoardStatsSubscription), variables: { communityIds } },
      {
        next: (r) => {
          this.loading = false;
          if (!r.data?.boardStats) {
            if (r.errors?.length) this.error = toUiErrorFromWs(r.errors);
            return;
          }
          this.#setStats(r.data.boardStats);
          this.error = null;
          this.live = true;
          if (feedStarted) return;
          feedStarted = true;
          this.events.start(
            ws,
            communityIds ? { communityIds } : null,
            this.stats?.cursor ?? null,
            (event) => this.#push(event),
            (why) => {
              this.reloadedAt = Date.now();
              this.reloadReason = why;
              this.start(ws, communityIds);
            },
          );
        },
        error: (err) => {
          this.loading = false;
          this.live = false;
          this.error = toUiErrorFromWs(err);
        },
        complete: () => (this.live = false),
      },
    );
  }

  stop() {
    this.#disposeStats?.();
    this.#disposeStats = undefined;
    this.events.stop();
    this.live = false;
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
