// Claim actions taken offline: kept in IndexedDB, sent in order when the connection returns.
// A failure the server reports (someone else claimed it, the need was cancelled…) becomes a
// conflict the volunteer sees, instead of being retried forever or dropped silently.
import type { Client } from '@urql/core';
import { get, set } from 'idb-keyval';
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
import { isNetworkError, toUiError, type UiError } from '../graphql/errors.ts';

export type ClaimActionKind = 'claim' | 'release' | 'start' | 'complete' | 'extend';

export type QueuedAction = {
  id: string;
  kind: ClaimActionKind;
  needId: string;
  title: string;
  claimId?: string;
  text?: string;
  queuedAt: string;
};

export type Conflict = { action: QueuedAction; error: UiError };

const QUEUE_KEY = 'ma:queue';
const CONFLICTS_KEY = 'ma:conflicts';

/** Runs one claim action against the API. */
export function runClaimAction(client: Client, action: Pick<QueuedAction, 'kind' | 'needId' | 'claimId' | 'text'>) {
  const claimId = action.claimId ?? '';
  switch (action.kind) {
    case 'claim':
      return client.mutation(ClaimNeedMutation, { needId: action.needId }).toPromise();
    case 'release':
      return client.mutation(ReleaseClaimMutation, { claimId, reason: action.text || null }).toPromise();
    case 'start':
      return client.mutation(StartClaimMutation, { claimId }).toPromise();
    case 'complete':
      return client.mutation(CompleteClaimMutation, { claimId, note: action.text || null }).toPromise();
    case 'extend':
      return client.mutation(ExtendClaimMutation, { claimId }).toPromise();
  }
}

export class OfflineQueue {
  pending = $state.raw<QueuedAction[]>([]);
  conflicts = $state.raw<Conflict[]>([]);
  flushing = $state(false);

  async init() {
    try {
      this.pending = (await get<QueuedAction[]>(QUEUE_KEY)) ?? [];
      this.conflicts = (await get<Conflict[]>(CONFLICTS_KEY)) ?? [];
    } catch {
      // IndexedDB unavailable (private mode): the queue then lives for this tab only.
    }
  }

  async enqueue(action: Omit<QueuedAction, 'id' | 'queuedAt'>) {
    const item: QueuedAction = { ...action, id: crypto.randomUUID(), queuedAt: new Date().toISOString() };
    this.pending = [...this.pending, item];
    await this.#save();
    return item;
  }

  /** Drops everything queued on this device (sign-out). */
  async clear() {
    this.pending = [];
    this.conflicts = [];
    await this.#save();
  }

  async dismiss(conflict: Conflict) {
    this.conflicts = this.conflicts.filter((c) => c !== conflict);
    await this.#save();
  }

  /** Sends queued actions in order; stops at the first network failure and keeps the rest. */
  async flush(client: Client) {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    try {
      // A claim made offline has no id yet; what was queued after it on the same need uses the new one.
      const claimed = new Map<string, string>();
      while (this.pending.length > 0) {
        const action = this.pending[0]!;
        const result = await runClaimAction(client, { ...action, claimId: action.claimId ?? claimed.get(action.needId) });
        if (result.error && isNetworkError(result.error)) break;
        this.pending = this.pending.slice(1);
        if (result.error) this.conflicts = [...this.conflicts, { action, error: toUiError(result.error) }];
        else if (result.data && 'claimNeed' in result.data) claimed.set(action.needId, readFragment(ClaimFields, result.data.claimNeed.claim).id);
        await this.#save();
      }
    } finally {
      this.flushing = false;
    }
  }

  async #save() {
    try {
      await set(QUEUE_KEY, $state.snapshot(this.pending));
      await set(CONFLICTS_KEY, $state.snapshot(this.conflicts));
    } catch {
      // see init()
    }
  }
}

const KEY = Symbol('offline-queue');
export const setOfflineQueue = (q: OfflineQueue) => setContext(KEY, q);
export const getOfflineQueue = () => getContext<OfflineQueue>(KEY);
