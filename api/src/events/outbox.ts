// Writing events: every change appends its NeedEvent in the same transaction as the change.
// A transaction-scoped advisory lock taken just before the insert serialises event writers,
// so `seq` order equals commit order and a reader that has seen seq N has seen every
// committed event below N. That is what lets a cursor resume without gaps.
import type { Prisma } from '../generated/prisma/client.ts';
import type { NeedEventType, NeedStatus } from '../generated/prisma/enums.ts';

export type Tx = Prisma.TransactionClient;

const EVENT_WRITE_LOCK = 72_160_001;

export type NewEvent = {
  needId: string;
  communityId: string;
  type: NeedEventType;
  fromStatus: NeedStatus | null;
  toStatus: NeedStatus;
  actorId: string | null;
  claimId?: string | null;
  at: Date;
  payload?: Record<string, string | number | boolean | null>;
};

export async function appendEvent(tx: Tx, event: NewEvent) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${EVENT_WRITE_LOCK})`);
  return tx.needEvent.create({
    data: { ...event, claimId: event.claimId ?? null, payload: event.payload ?? {} },
  });
}
