// Recovery road maps: a community's long-term goals, their milestones, and the immediate needs
// that serve them. The coordinators of the community (and admins) plan and change them. A write
// that links two records checks the viewer's rights on both, and that they belong together:
// - goal ↔ partnership: the viewer plans the goal's community and manages the partnership, and
//   the goal is on the partnership's Israeli community's road map (BAD_USER_INPUT otherwise);
// - need ↔ goal: the viewer plans the communities of both, which must be the same one;
// - milestone ↔ goal: a milestone is added to, and completed on, a goal the viewer may change.
// (disbursement ↔ goal: domain/partnerships.ts.)
import type { Services } from '../services.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import type { GoalDomain, GoalStatus } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import type { Selection } from './selection.ts';
import { goalServesPartnership, partnershipFor } from './partnerships.ts';

/** Who plans and changes a community's road map: its coordinators, and admins. */
export function canPlanRecovery(viewer: Viewer | null, communityId: string): boolean {
  return isCoordinatorOf(viewer, communityId);
}

/** A need serves goals on its own community's road map. */
export function needServesGoal(need: { communityId: string }, goal: { communityId: string }): boolean {
  return need.communityId === goal.communityId;
}

/** The goal, when the viewer may change it. */
async function goalToChange(s: Services, viewer: Viewer, goalId: string) {
  const goal = await s.prisma.recoveryGoal.findUnique({ where: { id: goalId } });
  if (!goal) throw notFound('Goal');
  if (!canPlanRecovery(viewer, goal.communityId)) throw forbidden('change this goal');
  return goal;
}

export type GoalInput = {
  communityId: string;
  partnershipId?: string | null;
  title: string;
  domain: GoalDomain;
  ownerName?: string | null;
  targetDate?: Date | null;
  budgetMinor?: bigint | null;
  currency?: string | null;
};

/** A goal on the community's road map; attached to a partnership, one the viewer manages whose Israeli community it is. */
export async function createRecoveryGoal(s: Services, viewer: Viewer, input: GoalInput, query: Selection = {}) {
  if (!canPlanRecovery(viewer, input.communityId)) throw forbidden("plan this community's recovery");
  if (input.partnershipId) {
    const p = await partnershipFor(s, viewer, input.partnershipId);
    if (!goalServesPartnership({ communityId: input.communityId }, p)) {
      throw badInput("A partnership's goals are on its Israeli community's road map.", 'partnershipId');
    }
  }
  return s.prisma.recoveryGoal.create({
    ...query,
    data: {
      communityId: input.communityId,
      partnershipId: input.partnershipId ?? null,
      title: input.title,
      domain: input.domain,
      ownerName: input.ownerName ?? null,
      targetDate: input.targetDate ?? null,
      budgetMinor: input.budgetMinor ?? 0n,
      currency: input.currency ?? 'ILS',
    },
  });
}

export async function setGoalStatus(s: Services, viewer: Viewer, goalId: string, status: GoalStatus, query: Selection = {}) {
  const goal = await goalToChange(s, viewer, goalId);
  return s.prisma.recoveryGoal.update({ ...query, where: { id: goal.id }, data: { status } });
}

export async function addMilestone(s: Services, viewer: Viewer, input: { goalId: string; title: string; dueDate: Date; ownerName?: string | null }, query: Selection = {}) {
  const goal = await goalToChange(s, viewer, input.goalId);
  return s.prisma.milestone.create({ ...query, data: { goalId: goal.id, title: input.title, dueDate: input.dueDate, ownerName: input.ownerName ?? null } });
}

/** Done at `doneAt`, or now. */
export async function completeMilestone(s: Services, viewer: Viewer, milestoneId: string, doneAt: Date | null | undefined, query: Selection = {}) {
  const m = await s.prisma.milestone.findUnique({ where: { id: milestoneId }, include: { goal: true } });
  if (!m) throw notFound('Milestone');
  if (!canPlanRecovery(viewer, m.goal.communityId)) throw forbidden('change this goal');
  return s.prisma.milestone.update({ ...query, where: { id: m.id }, data: { doneAt: doneAt ?? s.clock.now() } });
}

/**
 * Records that an immediate need serves a long-term goal (once, however often asked): the viewer
 * plans the recovery of both the goal's and the need's community, and they are the same one.
 */
export async function linkNeedToGoal(s: Services, viewer: Viewer, needId: string, goalId: string): Promise<true> {
  const [need, goal] = await Promise.all([
    s.prisma.need.findUnique({ where: { id: needId }, select: { communityId: true } }),
    s.prisma.recoveryGoal.findUnique({ where: { id: goalId }, select: { communityId: true } }),
  ]);
  if (!need || !goal) throw notFound(need ? 'Goal' : 'Need');
  if (!canPlanRecovery(viewer, goal.communityId)) throw forbidden('change this goal');
  if (!canPlanRecovery(viewer, need.communityId)) throw forbidden('link this need');
  if (!needServesGoal(need, goal)) throw badInput("A need serves goals of its own community's road map.", 'needId');
  await s.prisma.needGoal.upsert({ where: { needId_goalId: { needId, goalId } }, create: { needId, goalId }, update: {} });
  return true;
}
