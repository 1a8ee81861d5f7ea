// Vetting a volunteer through the public API, as a coordinator of their community does.
import type { Api } from './client.ts';

export const RECORD_VETTING = `mutation($i: RecordVettingInput!) {
  recordVetting(input: $i) { identityCheckedAt identityCheckedBy backgroundCheckedAt backgroundExpiresAt backgroundValid trainings { key expiresAt valid } lacks { category missing { label } } }
}`;

const DAY = 86_400_000;

/** Records identity, a background check (valid `validDays` from `now`) and trainings (default: child safety). */
export async function vet(
  coordinator: Api,
  communityId: string,
  volunteerId: string,
  opts: { now?: Date; validDays?: number; trainings?: string[] } = {},
) {
  const now = opts.now ?? new Date();
  const checkedAt = new Date(now.getTime() - DAY);
  const d = await coordinator.ok(RECORD_VETTING, {
    i: {
      communityId,
      volunteerId,
      identityChecked: true,
      backgroundCheck: { checkedAt: checkedAt.toISOString(), expiresAt: new Date(now.getTime() + (opts.validDays ?? 365) * DAY).toISOString() },
      trainings: (opts.trainings ?? ['child-safety']).map((key) => ({ key, completedAt: checkedAt.toISOString() })),
    },
  });
  return d.recordVetting;
}
