import { describe, expect, it } from 'vitest';
import { dueForErasure, erasedNeedColumns, retentionCutoff } from './retention.ts';

const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('retention', () => {
  it('cuts off RETENTION_DAYS before now', () => {
    expect(retentionCutoff(now, 90)).toEqual(daysAgo(90));
  });

  it.each([
    ['done 91 days ago', 'DONE', null, daysAgo(91), true],
    ['cancelled 90 days ago to the millisecond', 'CANCELLED', null, daysAgo(90), true],
    ['done 89 days ago', 'DONE', null, daysAgo(89), false],
    ['open (never closed)', 'OPEN', null, null, false],
    ['claimed, closed long ago and reopened', 'CLAIMED', null, daysAgo(400), false],
    ['in progress', 'IN_PROGRESS', null, daysAgo(400), false],
    ['done long ago but already erased', 'DONE', daysAgo(10), daysAgo(400), false],
    ['done with no closing time known', 'DONE', null, null, false],
  ] as const)('%s → %s', (_label, status, privateErasedAt, closedAt, due) => {
    expect(dueForErasure({ status, privateErasedAt }, closedAt, now, 90)).toBe(due);
  });

  it('erases the requester and the address, and puts the exact point on the public one', () => {
    expect(erasedNeedColumns({ publicLat: 31.52, publicLng: 34.6 }, now)).toEqual({
      requesterName: '', requesterPhone: null, requesterEmail: null, address: '', lat: 31.52, lng: 34.6, privateErasedAt: now,
    });
  });
});
