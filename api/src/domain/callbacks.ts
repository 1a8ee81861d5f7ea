// Contact through the coordinator: a requester who did not agree to share their phone and
// e-mail (Need.contactConsent false) is called by the coordinators, not by the volunteer who
// took the task. That volunteer asks for the call-back here; the community's coordinators get
// a notification, and the need's history an event.
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { forbidden } from '../errors.ts';
import type { Viewer } from '../auth/viewer.ts';
import { lockNeed } from './locks.ts';
import { liveClaim } from './needStatus.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import { mayRequestCallback, operatorWindowStart } from './privacy.ts';
import { coordinatorsOf } from '../auth/roles.ts';

export async function requestCallback(s: Services, viewer: Viewer, needId: string) {
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, needId);
    const claim = await tx.claim.findFirst({ where: { needId, volunteerId: viewer.id, status: liveClaim }, select: { id: true } });
    if (!mayRequestCallback(viewer, need, !!claim, operatorWindowStart(s))) throw forbidden('ask for a call-back on this need');
    const coordinators = await tx.membership.findMany({
      where: coordinatorsOf(need.communityId),
      select: { userId: true },
      take: s.rules.notifications.maxRecipients,
    });
    await notify(
      w,
      // One notice each, though a coordinator of the community and of a centre covering it holds two memberships.
      [...new Set(coordinators.map((m) => m.userId))],
      'CALLBACK_REQUESTED',
      need,
      { title: text('notify.callback.title', { title: need.title }), body: text('notify.callback.body') },
    );
    const at = s.clock.now();
    await w.event({
      needId,
      communityId: need.communityId,
      type: 'CALLBACK_REQUESTED',
      fromStatus: need.status,
      toStatus: need.status,
      actorId: viewer.id,
      claimId: claim!.id,
      at,
    });
    return need;
  });
}
