// Claim actions taken offline: kept in IndexedDB, sent in order when the connection returns.
// A failure the server reports (someone else claimed it, the need was cancelled…) becomes a
// conflict the volunteer sees, instead of being retried forever or dropped silently.
import type { Client } from '@urql/core';
import { get, update } from 'idb-keyval';
import { getContext, setContext } from 'svelte';
import { readFragment } from '../graphql/graphql.ts';
import {
  ClaimFields,
  ClaimNeedMutation,
  CompleteClaimMutation,
  ExtendClaimMutation,
  ReleaseClaimMutation,
  StartClaimMutation,
} from '../graphql/claims.ts';
import { isRetryLater, toUiError, type UiError } from '../graphql/errors.ts';
import { withIdempotencyKey } from '../graphql/idempotency.ts';

export type ClaimActionKind = 'claim' | 'release' | 'start' | 'complete' | 'extend';

export type QueuedAction = {
  id: string;
  kind: ClaimActionKind;
  needId: string;
  title: string;
  claimId?: string;
  text?: string;
  /**
   * Sent with every attempt of this action, unchanged (the API answers a retry whose first
   * attempt committed with its first result). Set when the action is first tried online, so a
   * queued retry of a request whose answer was lost is the same request; older items use `id`.
   */
  idempotencyKey?: string;
  queuedAt: string;
};

export type Conflict = { action: QueuedAction; error: UiError };

const QUEUE_KEY = 'ma:queue';
const CONFLICTS_KEY = 'ma:conflicts';

/** Runs one claim action against the API, with its idempotency key. */
export function runClaimAction(client: Client, action: Pick<QueuedAction, 'kind' | 'needId' | 'claimId' | 'text' | 'idempotencyKey'>) {
  const claimId = action.claimId ?? '';
  const context = action.idempotencyKey ? withIdempotencyKey(action.idempotencyKey) : undefined;
  switch (action.kind) {
    case 'claim':
      return client.mutation(ClaimNeedMutation, { needId: action.needId }, context).toPromise();
    case 'release':
      return client.mutation(ReleaseClaimMutation, { claimId, reason: action.text || null }, context).toPromise();
    case 'start':
      return client.mutation(StartClaimMutation, { claimId }, context).toPromise();
    case 'complete':
      return client.mutation(CompleteClaimMutation, { claimId, note: action.text || null }, context).toPromise();
    case 'extend':
      return client.mutation(ExtendClaimMutation, { claimId }, context).toPromise();
  }
}

export class OfflineQueue {
  pending = $state.raw<QueuedAction[]>([]);
  conflicts = $state.raw<Conflict[]>([]);
  flushing = $state(false);
  /** False when IndexedDB is unavailable (private mode): the queue then lives in this tab only. */
  #stored = true;
  #channel: BroadcastChannel | undefined;

  async init() {
    // Every tab of the app shares one queue: each change is read-modify-write in IndexedDB, and
    // the other tabs are told to re-read it.
    this.#channel = new BroadcastChannel('ma-offline-queue');
    this.#channel.onmessage = () => void this.#load();
    await this.#load();
  }

  async enqueue(action: Omit<QueuedAction, 'id' | 'queuedAt'>) {
    const id = crypto.randomUUID();
    const item: QueuedAction = { ...action, id, idempotencyKey: action.idempotencyKey ?? id, queuedAt: new Date().toISOString() };
    this.pending = await this.#update(QUEUE_KEY, this.pending, (list) => [...list, item]);
    return item;
  }

  /** Drops everything queued on this device (sign-out). */
  async clear() {
    this.pending = await this.#update(QUEUE_KEY, this.pending, () => []);
    this.conflicts = await this.#update(CONFLICTS_KEY, this.conflicts, () => []);
  }

  async dismiss(conflict: Conflict) {
    this.conflicts = await this.#update(CONFLICTS_KEY, this.conflicts, (list) => list.filter((c) => c.action.id !== conflict.action.id));
  }

  /** Sends queued actions in order; stops at the first network failure (or retryable refusal) and keeps the rest. */
  async flush(client: Client) {
    if (this.flushing) return;
    this.flushing = true;
    try {
      // One tab at a time sends the queue, so nothing is sent twice.
      if (navigator.locks) await navigator.locks.request('ma-offline-queue', () => this.#send(client));
      else await this.#send(client);
    } finally {
      this.flushing = false;
    }
  }

  async #send(client: Client) {
    await this.#load();
    // A claim made offline has no id yet; what was queued after it on the same need uses the new one.
    const claimed = new Map<string, string>();
    for (;;) {
      const action = this.pending[0];
      if (!action) break;
      const result = await runClaimAction(client, { ...action, claimId: action.claimId ?? claimed.get(action.needId), idempotencyKey: action.idempotencyKey ?? action.id });
      // No answer, or "not now" (a restart, the database away): kept, sent again later with the same key.
      if (result.error && isRetryLater(result.error)) break;
      // The conflict is recorded before the action leaves the queue: a tab that sees it gone sees why.
      if (result.error) {
        const error = toUiError(result.error);
        this.conflicts = await this.#update(CONFLICTS_KEY, this.conflicts, (list) => [...list, { action, error }]);
      } else if (result.data && 'claimNeed' in result.data) {
        const claimId = readFragment(ClaimFields, result.data.claimNeed.claim).id;
        claimed.set(action.needId, claimId);
        // Stored too: what follows is then re-sent with the same variables (and key) after a reload.
        const later = (a: QueuedAction) => (a.id !== action.id && a.needId === action.needId && !a.claimId ? { ...a, claimId } : a);
        this.pending = await this.#update(QUEUE_KEY, this.pending, (list) => list.map(later));
      }
      this.pending = await this.#update(QUEUE_KEY, this.pending, (list) => list.filter((a) => a.id !== action.id));
    }
  }

  async #load() {
    if (!this.#stored) return;
    try {
      this.pending = (await get<QueuedAction[]>(QUEUE_KEY)) ?? [];
      this.conflicts = (await get<Conflict[]>(CONFLICTS_KEY)) ?? [];
    } catch {
      this.#stored = false;
    }
  }

  /** Read-modify-write of one list in IndexedDB (or in memory without it); returns the new list. */
  async #update<T>(key: string, current: T[], change: (list: T[]) => T[]): Promise<T[]> {
    if (this.#stored) {
      try {
        let next: T[] = [];
        await update<T[]>(key, (old) => (next = change(old ?? [])));
        this.#channel?.postMessage('changed');
        return next;
      } catch {
        this.#stored = false;
      }
    }
    return change([...current]);
  }
}

const KEY = Symbol('offline-queue');
export const setOfflineQueue = (q: OfflineQueue) => setContext(KEY, q);
export const getOfflineQueue = () => getContext<OfflineQueue>(KEY);
