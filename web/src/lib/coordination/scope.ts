// Which communities a coordinator's list covers: `?community=<id>` (one of theirs; an operations
// centre's stands for its area, as the API reads it) or all they coordinate (null for an admin: every
// community). For intake lists (texts), those whose needs they take in: a hotline operator's too.
import { goto } from '$app/navigation';
import type { SessionState } from '#lib/session.svelte.ts';

export function scopeOf(session: SessionState, communityId: string | null, purpose: 'coordinate' | 'intake' = 'coordinate'): string[] | null {
  const mine = purpose === 'intake' ? session.intakeCommunities : session.coordinatorCommunities;
  if (communityId && (session.me?.isAdmin || mine.some((c) => c.id === communityId))) return [communityId];
  return session.me?.isAdmin ? null : mine.map((c) => c.id);
}

export function chooseScope(id: string) {
  void goto(id ? `?community=${encodeURIComponent(id)}` : '?', { replace: true, reset: false });
}
