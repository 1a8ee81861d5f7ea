// Groups: a leader signs a named group up for a need of many slots, and the group takes its
// size in ONE claim (Claim.places), decided like a volunteer's claim (claims.ts): the users'
// rows and the need's row locked, the open slots counted under the lock, the claim, the group
// and the event written in one transaction. A group of 12 on a need with 20 slots takes exactly
// 12; one larger than the open slots is refused as a full need is (CLAIM_CONFLICT) and changes
// nothing. The leader may shrink the group later, giving the slots back.
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../errors.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { lockNeed, lockUser } from './locks.ts';
import { assertNeedAction, liveClaim } from './needStatus.ts';
import { assertSlotsOpen, assertUnderClaimCap, liveCounts, settleNeed } from './claims.ts';
import { assertQualified } from './vettingRecords.ts';
import { hasRequirements, needRequirements } from './vetting.ts';
import { claimExpiresAt } from './rules.ts';

export type GroupMemberInput = { name: string; userId: string | null };
export type GroupInput = { needId: string; name: string; size: number; languages: string[]; members: GroupMemberInput[] };

/** Signs the viewer's group up for `size` slots of the need, in one claim. */
export async function claimNeedAsGroup(s: Services, viewer: Viewer, input: GroupInput) {
  const need = await s.prisma.need.findUnique({ where: { id: input.needId }, select: { communityId: true } });
  if (!need) throw notFound('Need');
  if (!isMemberOf(viewer, need.communityId) || !withinKeyScope(viewer, need.communityId)) throw forbidden('claim needs of a community you have not joined');
  if (input.members.length > input.size) throw badInput(`A group of ${input.size} names at most ${input.size} members.`, 'members');
  const userIds = input.members.flatMap((m) => (m.userId ? [m.userId] : []));
  if (new Set(userIds).size !== userIds.length) throw badInput('A member is named twice.', 'members');
  if (userIds.length) {
    const active = await s.prisma.membership.count({ where: { communityId: need.communityId, status: 'ACTIVE', userId: { in: userIds } } });
    if (active !== userIds.length) throw badInput('Every member named by account must be a member of the need’s community.', 'members');
  }
  return commit(s, async (tx, w) => {
    // Users before the need, in a fixed order: as a volunteer's claim locks them (no deadlock).
    for (const id of [...new Set([viewer.id, ...userIds])].sort()) await lockUser(tx, id);
    const locked = await lockNeed(tx, input.needId);
    assertNeedAction('claim', locked.status);
    if (hasRequirements(needRequirements(locked))) {
      // Whoever comes must be vetted, so every one of them is named by account.
      const others = input.members.filter((m) => m.userId !== viewer.id);
      if (others.length !== input.size - 1 || others.some((m) => !m.userId)) {
        throw badInput('This need asks for vetting: name every member of the group (besides you) by their account.', 'members');
      }
      await assertQualified(w, locked, viewer.id, 'you');
      for (const id of userIds) if (id !== viewer.id) await assertQualified(w, locked, id, 'volunteer');
    }
    assertSlotsOpen(locked, (await liveCounts(tx, locked.id)).active, input.size);
    const holders = await tx.claim.findFirst({ where: { needId: locked.id, volunteerId: { in: [viewer.id, ...userIds] }, status: liveClaim }, select: { id: true } });
    if (holders) throw new AppError(ErrorCode.ALREADY_CLAIMED, 'The leader or a named member already holds a claim on this need.');
    assertUnderClaimCap(s, await tx.claim.count({ where: { volunteerId: viewer.id, status: liveClaim } }));
    const at = s.clock.now();
    const claim = await tx.claim.create({
      data: { needId: locked.id, volunteerId: viewer.id, places: input.size, claimedAt: at, expiresAt: claimExpiresAt(s.rules, at) },
    });
    const group = await tx.volunteerGroup.create({
      data: {
        needId: locked.id,
        claimId: claim.id,
        leaderId: viewer.id,
        name: input.name,
        size: input.size,
        languages: input.languages,
        members: { create: input.members.map((m) => ({ name: m.name, userId: m.userId })) },
      },
    });
    await settleNeed(w, locked, 'CLAIMED', viewer.id, claim.id, at, { groupId: group.id, places: input.size });
    return group;
  });
}

/** The leader (or a coordinator of the need's community) makes the group smaller: the slots it gives up open again. */
export async function reduceGroup(s: Services, viewer: Viewer, groupId: string, size: number) {
  return commit(s, async (tx, w) => {
    const found = await tx.volunteerGroup.findUnique({ where: { id: groupId }, select: { needId: true } });
    if (!found) throw notFound('Group');
    const need = await lockNeed(tx, found.needId);
    const group = await tx.volunteerGroup.findUniqueOrThrow({ where: { id: groupId }, include: { claim: true, _count: { select: { members: true } } } });
    if (!withinKeyScope(viewer, need.communityId) || (group.leaderId !== viewer.id && !isCoordinatorOf(viewer, need.communityId))) throw forbidden('change this group');
    if (group.claim.status !== 'ACTIVE' && group.claim.status !== 'STARTED') {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `Cannot reduce a group whose claim is ${group.claim.status.toLowerCase()}.`, { currentStatus: group.claim.status, action: 'reduce' });
    }
    if (size >= group.size) throw badInput(`The group has ${group.size}; a smaller size gives slots back.`, 'size');
    if (size < group._count.members) throw badInput(`The group names ${group._count.members} members; remove some before it has fewer places.`, 'size');
    await tx.claim.update({ where: { id: group.claimId }, data: { places: size } });
    const updated = await tx.volunteerGroup.update({ where: { id: groupId }, data: { size } });
    await settleNeed(w, need, 'RELEASED', viewer.id, group.claimId, s.clock.now(), { groupId, released: group.size - size, places: size });
    return updated;
  });
}

