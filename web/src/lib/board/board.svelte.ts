// The live board: every need matching the filters, kept current by the event stream, as GeoJSON
// for the map (one setData, no per-marker DOM) and as a list of what is in the viewport.
import type { Client } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import type { FeatureCollection, Point } from 'geojson';
import { BoardNeedsQuery, LatestCursorQuery, NeedSummary } from '../graphql/needs.ts';
import { readFragment, type ResultOf } from '../graphql/graphql.ts';
import { URGENCY_RANK } from '../domain.ts';
import { NeedEventStream, type NeedEvent, type StaleCursor } from '../live/needEvents.svelte.ts';
import { matchesFilters, toNeedFilter, type BoardFilters, type NeedFilter } from './filters.ts';

export type NeedSummaryData = ResultOf<typeof NeedSummary>;
export type Bounds = { west: number; south: number; east: number; north: number };
export type NeedFeatureProps = { id: string; u: number; urgency: string; category: string; status: string; hl: number; live: number };
export type BoardChange = { kind: 'added' | 'changed' | 'removed'; need: NeedSummaryData; at: number };

const PAGE = 1_000;

function fetchPage(client: Client, filter: NeedFilter, after: string | null) {
  return client.query(BoardNeedsQuery, { filter, first: PAGE, after }, { requestPolicy: 'network-only' }).toPromise();
}
export const BOARD_LIMIT = 10_000;
const HIGHLIGHT_MS = 4_000;

export class BoardState {
  /** Every need on the board, as GeoJSON for the map source. */
  features = $state.raw<FeatureCollection<Point, NeedFeatureProps>>({ type: 'FeatureCollection', features: [] });
  /** The needs inside the viewport, most urgent first. */
  visible = $state.raw<NeedSummaryData[]>([]);
  /** Ids changed in the last few seconds, for the highlight. */
  highlighted = $state.raw<ReadonlySet<string>>(new Set());
  loading = $state(true);
  loaded = $state(0);
  total = $state(0);
  error = $state<string | null>(null);
  /** The latest change, for the polite live region. */
  lastChange = $state.raw<BoardChange | null>(null);
  /** When the board last loaded itself again because the server no longer knew its cursor. */
  reloadedAt = $state<number | null>(null);
  reloadReason = $state<StaleCursor | null>(null);
  readonly events = new NeedEventStream();

  #needs = new Map<string, NeedSummaryData>();
  #recent = new Map<string, number>();
  #bounds: Bounds | null = null;
  #filters: BoardFilters;
  #generation = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(filters: BoardFilters) {
    this.#filters = filters;
  }

  /** Loads every matching need (paged), then follows the event stream from the cursor taken first. */
  async load(client: Client, ws: WsClient, filters: BoardFilters) {
    const generation = ++this.#generation;
    this.#filters = filters;
    this.events.stop();
    this.loading = true;
    this.error = null;
    this.loaded = 0;
    // Taken before the needs, so any change during loading is replayed, and applying it is idempotent.
    const cursorResult = await client.query(LatestCursorQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    const cursor = cursorResult.data?.latestEventCursor ?? null;
    const needs = new Map<string, NeedSummaryData>();
    let after: string | null = null;
    const filter = toNeedFilter(filters);
    do {
      const result = await fetchPage(client, filter, after);
      if (generation !== this.#generation) return;
      if (result.error || !result.data) {
        this.error = result.error?.message ?? 'no data';
        this.loading = false;
        return;
      }
      const page: NonNullable<typeof result.data>['needs'] = result.data.needs;
      for (const edge of page.edges) {
        const need = readFragment(NeedSummary, edge.node);
        needs.set(need.id, need);
      }
      this.total = page.totalCount;
      this.loaded = needs.size;
      after = page.pageInfo.hasNextPage && needs.size < BOARD_LIMIT ? (page.pageInfo.endCursor ?? null) : null;
    } while (after);
    this.#needs = needs;
    this.#recent.clear();
    this.loading = false;
    this.#rebuild();

    this.events.start(
      ws,
      {
        categories: filters.categories.length ? filters.categories : null,
        communityIds: filters.communityIds.length ? filters.communityIds : null,
      },
      cursor,
      (event) => this.#apply(event),
      (why) => {
        if (generation !== this.#generation) return;
        this.reloadedAt = Date.now();
        this.reloadReason = why;
        void this.load(client, ws, this.#filters);
      },
    );
    clearInterval(this.#sweepTimer);
    this.#sweepTimer = setInterval(() => this.#sweepHighlights(), 1_000);
  }

  stop() {
    this.#generation++;
    this.events.stop();
    clearInterval(this.#sweepTimer);
    clearTimeout(this.#flushTimer);
  }

  setBounds(bounds: Bounds) {
    this.#bounds = bounds;
    this.visible = this.#inBounds();
  }

  get(id: string): NeedSummaryData | undefined {
    return this.#needs.get(id);
  }

  get size() {
    return this.#needs.size;
  }

  #apply(event: NeedEvent) {
    const need = readFragment(NeedSummary, event.need);
    const had = this.#needs.has(need.id);
    const wanted = matchesFilters({ ...need, description: event.need.description, onBoard: event.need.onBoard }, this.#filters);
    if (wanted) this.#needs.set(need.id, need);
    else if (had) this.#needs.delete(need.id);
    else return;
    this.#recent.set(need.id, Date.now());
    this.lastChange = { kind: !wanted ? 'removed' : had ? 'changed' : 'added', need, at: Date.now() };
    this.#scheduleRebuild();
  }

  /** Coalesces bursts of events into one setData every 200 ms. */
  #scheduleRebuild() {
    if (this.#flushTimer) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#rebuild();
    }, 200);
  }

  #sweepHighlights() {
    const now = Date.now();
    let expired = false;
    for (const [id, at] of this.#recent) {
      if (now - at > HIGHLIGHT_MS) {
        this.#recent.delete(id);
        expired = true;
      }
    }
    if (expired) this.#scheduleRebuild();
  }

  #rebuild() {
    const features: FeatureCollection<Point, NeedFeatureProps>['features'] = [];
    for (const n of this.#needs.values()) {
      // Remote work has no place to draw (its point is only its community's centre): listed, not mapped.
      if (n.remote) continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [n.publicLng, n.publicLat] },
        properties: {
          id: n.id,
          u: URGENCY_RANK[n.urgency],
          urgency: n.urgency,
          category: n.category,
          status: n.status,
          hl: this.#recent.has(n.id) ? 1 : 0,
          live: n.status === 'OPEN' ? 1 : 0,
        },
      });
    }
    this.features = { type: 'FeatureCollection', features };
    this.highlighted = new Set(this.#recent.keys());
    this.visible = this.#inBounds();
  }

  #inBounds(): NeedSummaryData[] {
    const b = this.#bounds;
    const list: NeedSummaryData[] = [];
    for (const n of this.#needs.values()) {
      if (!b || (n.publicLat >= b.south && n.publicLat <= b.north && n.publicLng >= b.west && n.publicLng <= b.east)) list.push(n);
    }
    return list.sort(
      (a, b2) => URGENCY_RANK[b2.urgency] - URGENCY_RANK[a.urgency] || (a.status === 'OPEN' ? 0 : 1) - (b2.status === 'OPEN' ? 0 : 1) || a.createdAt.localeCompare(b2.createdAt),
    );
  }
}
