// Who is signed in (from the HttpOnly session cookie, via `me`), loaded once per app instance.
import type { Client } from '@urql/core';
import { getContext, setContext } from 'svelte';
import { MeQuery, ViewerFields } from './graphql/session.ts';
import { readFragment, type ResultOf } from './graphql/graphql.ts';

export type Viewer = ResultOf<typeof ViewerFields>;
export type CommunityRef = Viewer['memberships'][number]['community'];

export class SessionState {
  me = $state.raw<Viewer | null>(null);
  loaded = $state(false);
  coordinatorCommunities = $derived<CommunityRef[]>(this.me?.memberships.filter((m) => m.role === 'COORDINATOR').map((m) => m.community) ?? []);
  isCoordinator = $derived(!!this.me && (this.me.isAdmin || this.coordinatorCommunities.length > 0));

  async load(client: Client) {
    const result = await client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    this.me = result.data?.me ? readFragment(ViewerFields, result.data.me) : null;
    this.loaded = true;
  }

  isMemberOf(communityId: string): boolean {
    return !!this.me?.memberships.some((m) => m.community.id === communityId);
  }

  /** Records a membership gained in this session (joinCommunity) without reloading. */
  addMembership(community: CommunityRef) {
    if (!this.me || this.isMemberOf(community.id)) return;
    this.me = { ...this.me, memberships: [...this.me.memberships, { role: 'VOLUNTEER', community }] };
  }
}

const KEY = Symbol('session');
export const setSession = (s: SessionState) => setContext(KEY, s);
export const getSession = () => getContext<SessionState>(KEY);
