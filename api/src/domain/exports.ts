// Streamed exports of needs, events, indicators and partnerships as CSV, NDJSON or a JSON
// array: rows are read in keyset-paged batches and written with backpressure, so an export
// of a million events holds one batch in memory, never the whole. Private fields only where
// privacy.ts allows them (every read of them logged).
import { sequenced } from '../events/outbox.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Services } from '../services.ts';
import { forbidden } from '../errors.ts';
import { coordinatedCommunityIds, isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { needIndicators, type Period } from './indicators.ts';
import { partnershipFinances } from './partnerships.ts';
import { exportPrivateColumns } from './privacy.ts';

export type ExportKind = 'needs' | 'events' | 'indicators' | 'partnerships';
export type Row = Record<string, string | number | boolean | null>;

const BATCH = 2_000;

/**
 * A text cell of a CSV export, safe to open in a spreadsheet (OWASP, CSV injection): text
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
 * (or, after the spreadsheet strips the blank, as one), so it gets a leading `'`. Only text:
 * numbers we write as numbers (a negative coordinate) stay numbers, and JSON/NDJSON stay raw.
 */
export function csvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function allowedCommunities(s: Services, viewer: Viewer, requested: string[] | undefined): Promise<string[]> {
  const all = viewer.isAdmin ? (await s.prisma.community.findMany({ select: { id: true } })).map((c) => c.id) : coordinatedCommunityIds(viewer);
  if (all.length === 0) throw forbidden('export data');
  const ids = requested?.length ? requested : all;
  for (const id of ids) if (!isCoordinatorOf(viewer, id)) throw forbidden("export a community you don't coordinate");
  return ids;
}

export async function* exportRows(s: Services, viewer: Viewer, kind: ExportKind, opts: { communityIds?: string[]; includePrivate?: boolean; period?: Period; from?: Date; to?: Date }): AsyncGenerator<Row> {
  const ids = await allowedCommunities(s, viewer, opts.communityIds);
  if (kind === 'needs') {
    let after: string | undefined;
    for (;;) {
      const batch = await s.prisma.need.findMany({
        where: { communityId: { in: ids } },
        orderBy: { id: 'asc' },
        take: BATCH,
        ...(after ? { cursor: { id: after }, skip: 1 } : {}),
        include: { community: { select: { slug: true } } },
      });
      if (batch.length === 0) return;
      const privateColumns = opts.includePrivate ? await exportPrivateColumns(s, viewer, batch) : undefined;
      for (const n of batch) {
        yield {
          id: encodeGlobalID('Need', n.id), title: n.title, category: n.category, urgency: n.urgency, status: n.status, slots: n.slots,
          community: n.community.slug, createdAt: n.createdAt.toISOString(), doneAt: n.doneAt?.toISOString() ?? null,
          publicLat: n.publicLat, publicLng: n.publicLng,
          ...privateColumns?.get(n.id),
        };
      }
      after = batch[batch.length - 1]!.id;
    }
  }
  if (kind === 'events') {
    let after = 0n;
    await s.sequencer.stamp();
    for (;;) {
      const batch = sequenced(await s.prisma.needEvent.findMany({ where: { seq: { gt: after }, communityId: { in: ids } }, orderBy: { seq: 'asc' }, take: BATCH }));
      if (batch.length === 0) return;
      for (const e of batch) {
        yield {
          cursor: e.seq.toString(), at: e.at.toISOString(), type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus,
          needId: encodeGlobalID('Need', e.needId), communityId: encodeGlobalID('Community', e.communityId), actorId: e.actorId ? encodeGlobalID('User', e.actorId) : null,
        };
      }
      after = batch[batch.length - 1]!.seq;
    }
  }
  if (kind === 'indicators') {
    const to = opts.to ?? s.clock.now();
    const from = opts.from ?? new Date(to.getTime() - 365 * 86_400_000);
    for (const r of await needIndicators(s, ids, opts.period ?? 'MONTH', from, to)) {
      yield {
        community: encodeGlobalID('Community', r.communityId), periodStart: r.periodStart.toISOString(), category: r.category ?? 'ALL',
        needsReceived: r.needsReceived, needsMet: r.needsMet, medianMinutesToClaim: r.medianMinutesToClaim, medianMinutesToComplete: r.medianMinutesToComplete,
        criticalReceived: r.criticalReceived, criticalMetWithin24h: r.criticalMetWithin24h,
      };
    }
    return;
  }
  const partnerships = await s.prisma.partnership.findMany({ where: { OR: [{ israeliCommunityId: { in: ids } }, { abroadCommunityId: { in: ids } }] }, orderBy: { startDate: 'asc' } });
  for (const p of partnerships) {
    const f = await partnershipFinances(s, p.id);
    const money = (list: { amountMinor: bigint; currency: string }[]) => list.map((m) => `${m.amountMinor} ${m.currency}`).join('; ');
    yield {
      id: encodeGlobalID('Partnership', p.id), israeliCommunity: encodeGlobalID('Community', p.israeliCommunityId), abroadCommunity: encodeGlobalID('Community', p.abroadCommunityId),
      startDate: p.startDate.toISOString(), termYears: p.termYears, status: p.status,
      pledgedMinor: money(f.pledged), disbursedMinor: money(f.disbursed), remainingMinor: money(f.remaining),
    };
  }
}
