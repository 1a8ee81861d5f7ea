// Who is signed in (from the HttpOnly session cookie, via `me`), loaded once per app instance.
// The last answer is kept on the device so "My tasks" still knows its owner offline.
import type { Client } from '@urql/core';
import { del, get, set } from 'idb-keyval';
import { getContext, setContext } from 'svelte';
import { MeQuery, ViewerFields } from './graphql/session.ts';
import { isNetworkError } from './graphql/errors.ts';
import { readFragment, type ResultOf } from './graphql/graphql.ts';
import { forgetLocalDrafts } from './forms/localDraft.ts';

export type Viewer = ResultOf<typeof ViewerFields>;
export type CommunityRef = Viewer['memberships'][number]['community'];

const VIEWER_KEY = 'ma:viewer';

export class SessionState {
  me = $state.raw<Viewer | null>(null);
  loaded = $state(false);
  /** True when `me` is the copy kept on this device because the server could not be reached. */
  offline = $state(false);
  // As the API derives them (auth/roles.ts): a centre's coordinators coordinate the communities it
  // covers, its hotline operators take their needs in. (A copy kept from before these existed: none.)
  coordinatorCommunities = $derived<CommunityRef[]>(this.me?.coordinatedCommunities ?? []);
  intakeCommunities = $derived<CommunityRef[]>(this.me?.intakeCommunities ?? []);
  isCoordinator = $derived(!!this.me && (this.me.isAdmin || this.coordinatorCommunities.length > 0));
  /** Takes needs in (intake, texts): coordinators, hotline operators, admins. */
  takesIntake = $derived(!!this.me && (this.me.isAdmin || this.intakeCommunities.length > 0));

  async load(client: Client) {
    const result = await client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    if (isNetworkError(result.error)) {
      this.me = (await get<Viewer>(VIEWER_KEY).catch(() => undefined)) ?? null;
      this.offline = !!this.me;
    } else {
      this.me = result.data?.me ? readFragment(ViewerFields, result.data.me) : null;
      this.offline = false;
      await (this.me ? set(VIEWER_KEY, $state.snapshot(this.me)) : del(VIEWER_KEY)).catch(() => {});
    }
    this.loaded = true;
  }

  /** Forgets the signed-in user on this device (sign-out). */
  async forget() {
    this.me = null;
    forgetLocalDrafts();
    await del(VIEWER_KEY).catch(() => {});
  }

  /** A membership of any status: an ACTIVE member, or a PENDING or DECLINED applicant. */
  isMemberOf(communityId: string): boolean {
    return !!this.membershipIn(communityId);
  }

  membershipIn(communityId: string): Viewer['memberships'][number] | undefined {
    return this.me?.memberships.find((m) => m.community.id === communityId);
  }

  /** Records a membership gained in this session (joinCommunity, an accepted invitation) without reloading. */
  addMembership(community: CommunityRef, status: Viewer['memberships'][number]['status'] = 'ACTIVE') {
    if (!this.me || this.membershipIn(community.id)?.status === 'ACTIVE') return;
    const others = this.me.memberships.filter((m) => m.community.id !== community.id);
    this.me = { ...this.me, memberships: [...others, { role: 'VOLUNTEER', status, declineReason: null, community }] };
  }

  /** Applies profile edits (name, language) to the signed-in user shown in the header. */
  update(changes: Partial<Pick<Viewer, 'name' | 'locale'>>) {
    if (this.me) this.me = { ...this.me, ...changes };
  }
}

const KEY = Symbol('session');
export const setSession = (s: SessionState) => setContext(KEY, s);
export const getSession = () => getContext<SessionState>(KEY);
