// One unit of work: the transaction, what the domain records while in it (need events in the
// outbox, users with new notifications, changed SMS drafts), and one publication of all of it
// after the commit — never before, never on rollback, never forgotten by a domain function,
// which cannot reach the bus or the stream except through here.
import type { NeedEvent } from '../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import { appendEvent, type NewEvent, type Tx } from './outbox.ts';

export type UnitOfWork = {
  readonly tx: Tx;
  readonly s: Services;
  /** Appends a need event to the outbox, in this transaction. */
  event(event: NewEvent): Promise<NeedEvent>;
  /** These users got notifications in this transaction. */
  notified(userIds: readonly string[]): void;
  /** The pending SMS drafts of this community (null: unrouted) changed in this transaction. */
  draftsChanged(communityId: string | null): void;
  /** The applications (pending memberships) of this community changed in this transaction. */
  membersChanged(communityId: string): void;
};

/** What a committed unit of work announces. */
export type Committed = { events: boolean; notified: string[]; drafts: (string | null)[]; members?: string[] };

export async function commit<T>(s: Services, work: (tx: Tx, w: UnitOfWork) => Promise<T>): Promise<T> {
  const { result, written, committed } = await s.prisma.$transaction(async (tx) => {
    const recorded = { events: 0, notified: new Set<string>(), drafts: new Set<string | null>(), members: new Set<string>() };
    const w: UnitOfWork = {
      tx,
      s,
      async event(e) {
        const appended = await appendEvent(tx, e);
        recorded.events++;
        return appended;
      },
      notified(ids) {
        for (const id of ids) recorded.notified.add(id);
      },
      draftsChanged(communityId) {
        recorded.drafts.add(communityId);
      },
      membersChanged(communityId) {
        recorded.members.add(communityId);
      },
    };
    const result = await work(tx, w);
    return {
      result,
      written: recorded.events,
      committed: { events: recorded.events > 0, notified: [...recorded.notified], drafts: [...recorded.drafts], members: [...recorded.members] },
    };
  });
  s.metrics.eventsWritten.inc(written);
  publish(s, committed);
  return result;
}

/** After the commit: wake the event streams, the notification feeds, the draft lists and the applications lists. */
export function publish(s: Pick<Services, 'stream' | 'bus'>, c: Committed): void {
  if (c.events) s.stream.announce();
  if (c.notified.length) s.bus.pubsub.publish('notifications:changed', { userIds: c.notified });
  for (const communityId of c.drafts) s.bus.pubsub.publish('intakeDrafts:changed', { communityId });
  for (const communityId of c.members ?? []) s.bus.pubsub.publish('members:changed', { communityId });
}
