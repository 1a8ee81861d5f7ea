// Outbound webhooks for partner systems: each need event matching a webhook becomes a
// delivery (exactly once, from a locked cursor over the outbox), POSTed as JSON signed with
// HMAC-SHA256, retried with exponential backoff, every attempt in the delivery log.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createHmac, randomBytes } from 'node:crypto';
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { badInput, forbidden } from '../errors.ts';
import type { NeedEventType } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';

export const webhookRules = {
  maxAttempts: 8,
  retryBaseMs: 2_000,
  timeoutMs: 5_000,
};

export const SIGNATURE_HEADER = 'x-mutual-aid-signature';
/** The delivery log's `lastError` when no HTTP answer came back, whatever the reason. */
export const DELIVERY_FAILED = 'delivery failed';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs. */
export function signPayload(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export function verifySignature(secret: string, body: string, header: string, toleranceSeconds = 300, now = new Date()): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return expected === parts.v1;
}

export async function createWebhook(s: Services, viewer: Viewer, input: { url: string; communityId: string | null; eventTypes: NeedEventType[] }) {
  if (input.communityId ? !isCoordinatorOf(viewer, input.communityId) : !viewer.isAdmin) {
    throw forbidden(input.communityId ? "add webhooks for a community you don't coordinate" : 'add webhooks for every community');
  }
  const url = URL.parse(input.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw badInput('Use an http or https URL.', 'url');
  // The delivery-time check is the real guard (DNS can change); this one tells the user now.
  if (s.outbound.refusesOnSight(url)) throw badInput('Use a public address: loopback, private, link-local and other internal addresses are refused.', 'url');
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const webhook = await s.prisma.webhook.create({
    data: { url: url.toString(), secret, communityId: input.communityId, eventTypes: input.eventTypes, createdById: viewer.id },
  });
  // Start from now: a new webhook is not sent the whole past.
  return webhook;
}

const CURSOR = 'webhooks';

/** Turns new events into deliveries, under a row lock so one process does it at a time. */
export async function enqueueWebhookDeliveries(s: Services): Promise<number> {
  return commit(s, async (tx, w) => {
    await tx.$executeRaw`INSERT INTO "OutboxCursor" (name, seq) SELECT ${CURSOR}, coalesce(max(seq), 0) FROM "NeedEvent" ON CONFLICT (name) DO NOTHING`;
    const locked = await tx.$queryRaw<{ seq: bigint }[]>`SELECT seq FROM "OutboxCursor" WHERE name = ${CURSOR} FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return 0; // another process is on it
    const from = locked[0]!.seq;
    const events = await tx.needEvent.findMany({ where: { seq: { gt: from } }, orderBy: { seq: 'asc' }, take: 1_000 });
    if (events.length === 0) return 0;
    const hooks = await tx.webhook.findMany({ where: { active: true } });
    const rows = events.flatMap((e) =>
      hooks
        .filter((h) => (!h.communityId || h.communityId === e.communityId) && (h.eventTypes.length === 0 || h.eventTypes.includes(e.type)) && h.createdAt <= e.at)
        .map((h) => ({ webhookId: h.id, eventSeq: e.seq })),
    );
    if (rows.length) await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
    await tx.outboxCursor.update({ where: { name: CURSOR }, data: { seq: events[events.length - 1]!.seq } });
    return rows.length;
  });
}

/** The JSON a partner receives: the event and the need's public face. Never private fields. */
async function payloadFor(s: Services, deliveryId: string, seq: bigint) {
  const e = await s.prisma.needEvent.findUniqueOrThrow({ where: { seq }, include: { need: true } });
  return {
    delivery: deliveryId,
    event: {
      cursor: e.seq.toString(),
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      at: e.at.toISOString(),
      needId: encodeGlobalID('Need', e.needId),
      communityId: encodeGlobalID('Community', e.communityId),
    },
    need: {
      id: encodeGlobalID('Need', e.need.id),
      title: e.need.title,
      category: e.need.category,
      urgency: e.need.urgency,
      status: e.need.status,
      slots: e.need.slots,
      publicLat: e.need.publicLat,
      publicLng: e.need.publicLng,
    },
  };
}

/** Sends due deliveries (leased first, so never twice at once) and schedules retries. */
export async function deliverWebhooks(s: Services, now = s.clock.now()): Promise<{ delivered: number; failed: number }> {
  const lease = new Date(now.getTime() + s.rules.webhooks.timeoutMs * 3);
  const leased = await s.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "nextAttemptAt" = ${lease}
    WHERE id IN (
      SELECT id FROM "WebhookDelivery" WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "eventSeq" LIMIT 100 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    leased.map(async ({ id }) => {
      const d = await s.prisma.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { webhook: true } });
      const body = JSON.stringify(await payloadFor(s, d.id, d.eventSeq));
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await s.outbound.post(d.webhook.url, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'mutual-aid-webhooks/1',
            [SIGNATURE_HEADER]: signPayload(d.webhook.secret, body, s.clock.now()),
            'x-mutual-aid-delivery': d.id,
          },
          body,
          timeoutMs: s.rules.webhooks.timeoutMs,
        });
        status = res.status;
        // Redirects are not followed: a 3xx is a failed delivery like any other non-2xx.
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch {
        // One word for every failure to get an answer (refused by the guard, DNS, connection
        // refused or reset, timeout): the log must not map which internal ports are open.
        error = DELIVERY_FAILED;
      }
      const attempts = d.attempts + 1;
      if (!error) {
        await s.prisma.webhookDelivery.update({ where: { id }, data: { status: 'SENT', attempts, responseStatus: status, lastError: null, deliveredAt: s.clock.now() } });
        delivered++;
      } else {
        const giveUp = attempts >= s.rules.webhooks.maxAttempts;
        await s.prisma.webhookDelivery.update({
          where: { id },
          data: {
            status: giveUp ? 'FAILED' : 'PENDING',
            attempts,
            responseStatus: status,
            lastError: error,
            nextAttemptAt: new Date(s.clock.now().getTime() + s.rules.webhooks.retryBaseMs * 2 ** (attempts - 1)),
          },
        });
        failed++;
      }
    }),
  );
  return { delivered, failed };
}
