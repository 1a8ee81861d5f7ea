// Recurring needs: a series makes occurrences (needs of their own, claimed independently)
// from an RRULE in Israel's wall-clock time; the board shows each series' next open one.
import rrulePkg from 'rrule';
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden } from '../errors.ts';
import type { RecurrenceFrequency } from '../generated/prisma/enums.ts';
import { takesIntakeFor, type Viewer } from '../auth/viewer.ts';
import { insertNeed, type NeedInput, type RemoteNeedInput } from './needRecords.ts';
import { fromWallClock, toWallClock } from './timezone.ts';

const { RRule } = rrulePkg;

export const SERIES_LIMITS = { maxOccurrences: 60, horizonDays: 120 };

export type Recurrence = {
  frequency: RecurrenceFrequency;
  interval?: number | null;
  /** 0 = Sunday … 6 = Saturday (WEEKLY). */
  weekdays?: number[] | null;
  /** Explicit occurrence starts (DATES). */
  dates?: Date[] | null;
  startsAt: Date;
  until?: Date | null;
  count?: number | null;
  durationMinutes: number;
  slotsPerOccurrence: number;
};

const RRULE_DAYS = [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA];

/** The start of every occurrence, in order, within the limits. Pure. */
export function occurrenceStarts(r: Recurrence): Date[] {
  const horizon = new Date(r.startsAt.getTime() + SERIES_LIMITS.horizonDays * 86_400_000);
  const until = r.until && r.until < horizon ? r.until : horizon;
  const max = Math.min(r.count ?? SERIES_LIMITS.maxOccurrences, SERIES_LIMITS.maxOccurrences);
  if (r.frequency === 'DATES') {
    return [...(r.dates ?? [])].sort((a, b) => a.getTime() - b.getTime()).filter((d) => d <= until).slice(0, max);
  }
  const rule = new RRule({
    freq: r.frequency === 'DAILY' ? RRule.DAILY : RRule.WEEKLY,
    interval: r.interval ?? 1,
    byweekday: r.frequency === 'WEEKLY' && r.weekdays?.length ? r.weekdays.map((d) => RRULE_DAYS[d]!) : null,
    dtstart: toWallClock(r.startsAt),
    until: toWallClock(until),
    count: max,
  });
  return rule.all().map((wall) => fromWallClock(wall));
}

/** Marks which occurrence of a series the board shows (the next open one), with an event for each change. */
export async function refreshSeriesBoard(w: UnitOfWork, seriesId: string, now = w.s.clock.now(), actorId: string | null = null): Promise<void> {
  const { tx } = w;
  const occurrences = await tx.need.findMany({ where: { seriesId }, orderBy: { occurrenceAt: 'asc' } });
  const next = occurrences.find((n) => n.status === 'OPEN' && (n.neededBy ?? n.occurrenceAt ?? now) >= now);
  for (const n of occurrences) {
    const onBoard = n.id === next?.id;
    if (n.onBoard === onBoard) continue;
    await tx.need.update({ where: { id: n.id }, data: { onBoard } });
    await w.event({
      needId: n.id, communityId: n.communityId, type: 'UPDATED', fromStatus: n.status, toStatus: n.status,
      actorId, at: now, payload: { fields: 'onBoard', onBoard },
    });
  }
}

export async function createRecurringNeed(s: Services, viewer: Viewer, template: NeedInput | RemoteNeedInput, recurrence: Recurrence) {
  if (!takesIntakeFor(viewer, template.communityId)) throw forbidden('create needs in this community');
  const starts = occurrenceStarts(recurrence);
  if (starts.length === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'This recurrence has no occurrence.', { field: 'recurrence' });
  return commit(s, async (tx, w) => {
    const series = await tx.needSeries.create({
      data: {
        communityId: template.communityId,
        frequency: recurrence.frequency,
        interval: recurrence.interval ?? 1,
        weekdays: recurrence.weekdays ?? [],
        dates: recurrence.dates ?? [],
        startsAt: recurrence.startsAt,
        until: recurrence.until ?? null,
        count: recurrence.count ?? null,
        durationMinutes: recurrence.durationMinutes,
        slotsPerOccurrence: recurrence.slotsPerOccurrence,
        createdById: viewer.id,
      },
    });
    for (const start of starts) {
      await insertNeed(w, viewer, {
        ...template,
        slots: recurrence.slotsPerOccurrence,
        neededFrom: start,
        neededBy: new Date(start.getTime() + recurrence.durationMinutes * 60_000),
      }, { seriesId: series.id, occurrenceAt: start, onBoard: false, alertVolunteers: false });
    }
    await refreshSeriesBoard(w, series.id, s.clock.now(), viewer.id);
    return series;
  });
}

/** Time moves on: a past occurrence leaves the board and the next one comes on. */
export async function refreshAllSeries(s: Services, now = s.clock.now()): Promise<void> {
  const series = await s.prisma.need.findMany({
    where: { onBoard: true, seriesId: { not: null }, OR: [{ status: { not: 'OPEN' } }, { neededBy: { lt: now } }] },
    select: { seriesId: true },
    distinct: ['seriesId'],
    take: 500,
  });
  for (const { seriesId } of series) await commit(s, (_tx, w) => refreshSeriesBoard(w, seriesId!, now));
}
