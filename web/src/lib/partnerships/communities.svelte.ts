// The communities a coordinator works with on these screens: their own, or every one for an admin.
import type { Client } from '@urql/core';
import { CommunitiesQuery } from '#lib/graphql/session.ts';
import type { CommunityRef, SessionState } from '#lib/session.svelte.ts';

export class CoordinatedCommunities {
  #all = $state.raw<(CommunityRef & { kind: string })[]>([]);
  readonly #session: SessionState;

  constructor(client: Client, session: SessionState, locale: () => string) {
    this.#session = session;
    $effect(() => {
      if (!session.me?.isAdmin) return;
      void client
        .query(CommunitiesQuery, {})
        .toPromise()
        .then((r) => (this.#all = [...(r.data?.communities ?? [])].sort((a, b) => a.name.localeCompare(b.name, locale()))));
    });
  }

  /** `withAbroad`: also partner communities abroad (they have no needs of their own). */
  list(withAbroad = true): CommunityRef[] {
    if (!this.#session.me?.isAdmin) return this.#session.coordinatorCommunities;
    return withAbroad ? this.#all : this.#all.filter((c) => c.kind !== 'PARTNER_ABROAD');
  }
}
