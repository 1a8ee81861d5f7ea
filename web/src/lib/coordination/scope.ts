// Which communities a coordinator's list covers: `?community=<id>` (one of theirs) or all they coordinate
// (null for an admin: every community).
import { goto } from '$app/navigation';
import type { SessionState } from '#lib/session.svelte.ts';

export function scopeOf(session: SessionState, communityId: string | null): string[] | null {
  const mine = session.coordinatorCommunities;
  if (communityId && (session.me?.isAdmin || mine.some((c) => c.id === communityId))) return [communityId];
  return session.me?.isAdmin ? null : mine.map((c) => c.id);
}

export function chooseScope(id: string) {
  void goto(id ? `?community=${encodeURIComponent(id)}` : '?', { replace: true, reset: false });
}
