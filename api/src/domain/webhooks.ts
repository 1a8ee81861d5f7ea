// Outbound webhooks for partner systems: each need event matching a webhook becomes a
// delivery (exactly once, from a locked cursor over the outbox), POSTed as JSON signed with
// HMAC-SHA256, retried with exponential backoff, every attempt in the delivery log.
// The owner (a coordinator of the webhook's community; admins: every webhook) lists, disables,
// enables, deletes, rotates the secret of and test-pings a webhook.
import { sequenced } from '../events/outbox.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import type { NeedEventType } from '../generated/prisma/enums.ts';
import { coordinatedCommunityIds, isCoordinatorOf, type Viewer } from '../auth/viewer.ts';

export const SIGNATURE_HEADER = 'x-mutual-aid-signature';
/** The delivery log's `lastError` when no HTTP answer came back, whatever the reason. */
export const DELIVERY_FAILED = 'delivery failed';

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs; one `v1` per secret
 * (after a rotation, the new secret's first, then the old one's, until the grace period ends).
 */
export function signPayload(secret: string | readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return [`t=${t}`, ...[secret].flat().map((k) => `v1=${hmac(k, t, body)}`)].join(',');
}

/** Same length and bytes, compared in constant time. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether `header` signs `body` with one of the secrets (a receiver mid-rotation may hold two)
 * within the tolerance: any of its `v1` entries will do.
 */
export function verifySignature(secret: string | readonly string[], body: string, header: string, toleranceSeconds = 300, now = new Date()): boolean {
  const parts = header.split(',').map((kv) => kv.split('='));
  const ts = parts.filter(([k]) => k === 't');
  if (ts.length !== 1) return false;
  const t = Number(ts[0]![1]);
  if (!Number.isFinite(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const given = parts.filter(([k, v]) => k === 'v1' && v !== undefined).map(([, v]) => v!);
  // Every comparison is made, so the time taken does not say which one matched.
  let ok = false;
  for (const k of [secret].flat()) {
    const expected = hmac(k, t, body);
    for (const v of given) ok = sameText(expected, v) || ok;
  }
  return ok;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** The secrets a delivery is signed with now: the current one, and the previous during its grace period. */
export function signingSecrets(w: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now: Date): string[] {
  return w.previousSecret && w.previousSecretExpiresAt && w.previousSecretExpiresAt > now ? [w.secret, w.previousSecret] : [w.secret];
}

/** Who manages a webhook: coordinators of its community; a webhook of every community (null), admins. */
export const mayManageWebhook = (viewer: Viewer | null, communityId: string | null) =>
  !!viewer && (communityId ? isCoordinatorOf(viewer, communityId) : viewer.isAdmin);

/** The viewer's webhooks: those of the communities they coordinate; every webhook for admins. */
export function webhooksWhere(viewer: Viewer): { communityId?: { in: string[] } } {
  return viewer.isAdmin ? {} : { communityId: { in: coordinatedCommunityIds(viewer) } };
}

/** Locks the webhook for a change by its owner: NOT_FOUND if there is none, FORBIDDEN if not theirs. */
async function lockOwned(tx: UnitOfWork['tx'], viewer: Viewer, id: string, what: string) {
  const [row] = await tx.$queryRaw<{ communityId: string | null }[]>`SELECT "communityId" FROM "Webhook" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('The webhook');
  if (!mayManageWebhook(viewer, row.communityId)) throw forbidden(`${what} a webhook of a community you don't coordinate`);
}

/** A disabled webhook is sent nothing: no delivery for events while it is disabled, and its pending deliveries wait. */
export async function setWebhookActive(s: Services, viewer: Viewer, id: string, active: boolean) {
  return commit(s, async (tx) => {
    await lockOwned(tx, viewer, id, active ? 'enable' : 'disable');
    return tx.webhook.update({ where: { id }, data: { active } });
  });
}

/** Deletes the webhook and its delivery log: its pending deliveries are never sent. */
export async function deleteWebhook(s: Services, viewer: Viewer, id: string): Promise<string> {
  return commit(s, async (tx) => {
    await lockOwned(tx, viewer, id, 'delete');
    await tx.webhook.delete({ where: { id } });
    return id;
  });
}

/**
 * A new secret, returned once. The old one keeps signing deliveries (a second `v1`) for
 * `rules.webhooks.secretGraceHours`, so the partner can switch without missing one.
 */
export async function rotateWebhookSecret(s: Services, viewer: Viewer, id: string) {
  return commit(s, async (tx) => {
    await lockOwned(tx, viewer, id, 'rotate the secret of');
    const old = await tx.webhook.findUniqueOrThrow({ where: { id } });
    const secret = newSecret();
    const graceMs = s.rules.webhooks.secretGraceHours * 3_600_000;
    const webhook = await tx.webhook.update({
      where: { id },
      data: graceMs > 0
        ? { secret, previousSecret: old.secret, previousSecretExpiresAt: new Date(s.clock.now().getTime() + graceMs) }
        : { secret, previousSecret: null, previousSecretExpiresAt: null },
    });
    return { webhook, secret };
  });
}

/** Queues a PING delivery, sent like any other (the guarded client, retries, the log); returns it. */
export async function testWebhook(s: Services, viewer: Viewer, id: string) {
  return commit(s, async (tx) => {
    await lockOwned(tx, viewer, id, 'test');
    const webhook = await tx.webhook.findUniqueOrThrow({ where: { id } });
    if (!webhook.active) throw badInput('Enable the webhook first: a disabled webhook is sent nothing.', 'id');
    return tx.webhookDelivery.create({ data: { webhookId: id, kind: 'PING', nextAttemptAt: s.clock.now() } });
  });
}

export async function createWebhook(s: Services, viewer: Viewer, input: { url: string; communityId: string | null; eventTypes: NeedEventType[] }) {
  if (!mayManageWebhook(viewer, input.communityId)) {
    throw forbidden(input.communityId ? "add webhooks for a community you don't coordinate" : 'add webhooks for every community');
  }
  const url = URL.parse(input.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw badInput('Use an http or https URL.', 'url');
  // The delivery-time check is the real guard (DNS can change); this one tells the user now.
  if (s.outbound.refusesOnSight(url)) throw badInput('Use a public address: loopback, private, link-local and other internal addresses are refused.', 'url');
  const secret = newSecret();
  const webhook = await s.prisma.webhook.create({
    data: { url: url.toString(), secret, communityId: input.communityId, eventTypes: input.eventTypes, createdById: viewer.id },
  });
  // Start from now: a new webhook is not sent the whole past.
  return webhook;
}

const CURSOR = 'webhooks';

/** Turns new events into deliveries, under a row lock so one process does it at a time. */
export async function enqueueWebhookDeliveries(s: Services): Promise<number> {
  await s.sequencer.stamp();
  return commit(s, async (tx, w) => {
    await tx.$executeRaw`INSERT INTO "OutboxCursor" (name, seq) SELECT ${CURSOR}, coalesce(max(seq), 0) FROM "NeedEvent" ON CONFLICT (name) DO NOTHING`;
    const locked = await tx.$queryRaw<{ seq: bigint }[]>`SELECT seq FROM "OutboxCursor" WHERE name = ${CURSOR} FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return 0; // another process is on it
    const from = locked[0]!.seq;
    const events = sequenced(await tx.needEvent.findMany({ where: { seq: { gt: from } }, orderBy: { seq: 'asc' }, take: 1_000 }));
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

/** The JSON a partner receives: the event and the need's public face. Never private fields. A PING: only who and when. */
async function payloadFor(s: Services, d: { id: string; webhookId: string; eventSeq: bigint | null }) {
  const deliveryId = d.id;
  const seq = d.eventSeq;
  if (seq === null) return { delivery: deliveryId, type: 'PING', webhook: encodeGlobalID('Webhook', d.webhookId), at: s.clock.now().toISOString() };
  const e = await s.prisma.needEvent.findUniqueOrThrow({ where: { seq }, include: { need: true } });
  return {
    delivery: deliveryId,
    event: {
      cursor: seq.toString(),
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
      SELECT d.id FROM "WebhookDelivery" d JOIN "Webhook" w ON w.id = d."webhookId"
      WHERE d.status = 'PENDING' AND d."nextAttemptAt" <= ${now} AND w.active
      ORDER BY d."eventSeq" NULLS FIRST LIMIT 100 FOR UPDATE OF d SKIP LOCKED)
    RETURNING id`;
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    leased.map(async ({ id }) => {
      const d = await s.prisma.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
      if (!d || !d.webhook.active) return; // deleted or disabled since it was leased
      const body = JSON.stringify(await payloadFor(s, d));
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await s.outbound.post(d.webhook.url, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'mutual-aid-webhooks/1',
            [SIGNATURE_HEADER]: signPayload(signingSecrets(d.webhook, s.clock.now()), body, s.clock.now()),
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
        // updateMany: the webhook (and this row) may have been deleted meanwhile.
        await s.prisma.webhookDelivery.updateMany({ where: { id }, data: { status: 'SENT', attempts, responseStatus: status, lastError: null, deliveredAt: s.clock.now() } });
        delivered++;
      } else {
        const giveUp = attempts >= s.rules.webhooks.maxAttempts;
        await s.prisma.webhookDelivery.updateMany({
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
