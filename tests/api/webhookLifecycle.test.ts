// The webhook lifecycle: list, disable/enable, delete, rotate the secret (with a grace period
// in which deliveries carry both signatures) and a test delivery, each scoped to the
// communities the owner coordinates. Receivers on loopback, allow-listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { startReceiver, waitFor } from '../helpers/sinks.ts';
import { verifySignature } from '../../api/src/domain/webhooks.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;
const SIG = 'x-mutual-aid-signature';

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;
let outsider: Api;
/** Receivers: a webhook under test, a witness (an enabled webhook for the same events), and two that always fail. */
let hooked: Receiver;
let witness: Receiver;
let failing: Receiver;
let failingWitness: Receiver;

const titles = (r: Receiver) => r.received.map((x) => JSON.parse(x.body).need?.title as string | undefined);

async function createHook(url: string): Promise<{ id: string; secret: string }> {
  const d = (await coordinator.ok(
    `mutation($u: String!, $c: ID!) { createWebhook(url: $u, communityId: $c, eventTypes: [CREATED]) { secret webhook { id } } }`,
    { u: url, c: community },
  )).createWebhook;
  return { id: d.webhook.id, secret: d.secret };
}
const op = (api: Api, name: string, id: string, fields = '') => api.gql(`mutation($id: ID!) { ${name}(id: $id) ${fields} }`, { id });

beforeAll(async () => {
  [hooked, witness] = await Promise.all([startReceiver(), startReceiver()]);
  [failing, failingWitness] = await Promise.all([startReceiver(() => 500), startReceiver(() => 500)]);
  s = await startServer({
    OUTBOUND_ALLOW_HOSTS: [hooked, witness, failing, failingWitness].map((r) => `127.0.0.1:${r.port}`).join(','),
    WORKER_INTERVAL_MS: '50',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '20',
  });
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  outsider = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR', 'outsider');
});
afterAll(async () => {
  await s?.stop();
  await Promise.all([hooked, witness, failing, failingWitness].map((r) => r?.stop()));
});

describe('webhook lifecycle', () => {
  it('a disabled webhook gets no delivery for a later event; enabled again, it does', async () => {
    const hook = await createHook(hooked.url);
    const seen = await createHook(witness.url);
    const off = await coordinator.ok(`mutation($id: ID!) { disableWebhook(id: $id) { id active } }`, { id: hook.id });
    expect(off.disableWebhook).toEqual({ id: hook.id, active: false });

    await createNeed(coordinator, community, { title: 'While disabled' });
    await waitFor(() => titles(witness).includes('While disabled'), 15_000);
    // The witness got the event, and both webhooks are handled in the same pass: none for the disabled one.
    await waitFor(async () => (await s.app.services.prisma.webhookDelivery.count({ where: { webhookId: uuidOf(seen.id), status: 'SENT' } })) >= 1);
    expect(titles(hooked)).not.toContain('While disabled');
    expect(await s.app.services.prisma.webhookDelivery.count({ where: { webhookId: uuidOf(hook.id) } })).toBe(0);

    const on = await coordinator.ok(`mutation($id: ID!) { enableWebhook(id: $id) { active } }`, { id: hook.id });
    expect(on.enableWebhook.active).toBe(true);
    await createNeed(coordinator, community, { title: 'Enabled again' });
    await waitFor(() => titles(hooked).includes('Enabled again'), 15_000);
    expect(titles(hooked)).not.toContain('While disabled');
    for (const id of [hook.id, seen.id]) await coordinator.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
  });

  it('delete: no delivery for later events, and its pending retries stop', async () => {
    const hook = await createHook(failing.url);
    const seen = await createHook(failingWitness.url);
    await createNeed(coordinator, community, { title: 'Before delete' });
    // Both receivers answer 500: the delivery stays pending and is retried.
    await waitFor(() => failing.received.length >= 1 && failingWitness.received.length >= 1, 15_000);
    const deleted = await coordinator.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hook.id });
    expect(deleted.deleteWebhook).toBe(hook.id);
    const count = (r: Receiver, title: string) => titles(r).filter((x) => x === title).length;
    const atDelete = count(failing, 'Before delete');
    expect(await s.app.services.prisma.webhookDelivery.count({ where: { webhookId: uuidOf(hook.id) } })).toBe(0);
    expect((await coordinator.ok(`{ webhooks { id } }`)).webhooks.map((w: { id: string }) => w.id)).not.toContain(hook.id);

    // The witness, on the same schedule, is retried twice more for the same event, and gets the
    // next one; the deleted webhook gets neither (one attempt may have been in flight at the delete).
    const witnessAtDelete = count(failingWitness, 'Before delete');
    await createNeed(coordinator, community, { title: 'After delete' });
    await waitFor(() => count(failingWitness, 'Before delete') >= witnessAtDelete + 2 && count(failingWitness, 'After delete') >= 1, 20_000);
    expect(count(failing, 'Before delete')).toBeLessThanOrEqual(atDelete + 1);
    expect(titles(failing)).not.toContain('After delete');
    await coordinator.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: seen.id });
  });

  it('rotate: the new secret once; deliveries verify with the old one during the grace period and with the new one', async () => {
    const hook = await createHook(hooked.url);
    const rotated = (await coordinator.ok(
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id previousSecretExpiresAt } } }`,
      { id: hook.id },
    )).rotateWebhookSecret;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    const graceHours = (Date.parse(rotated.webhook.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(graceHours).toBeGreaterThan(23);
    expect(graceHours).toBeLessThanOrEqual(24);

    /** The delivery of a new need's event: how many v1 entries it carries, and which secrets verify it. */
    const deliveredWith = async (title: string) => {
      await createNeed(coordinator, community, { title });
      const got = await waitFor(() => hooked.received.find((r) => JSON.parse(r.body).need?.title === title), 15_000);
      const header = String(got.headers[SIG]);
      const verifies = (secret: string) => verifySignature(secret, got.body, header);
      return { v1s: header.match(/v1=/g)?.length, old: verifies(hook.secret), new: verifies(rotated.secret), other: verifies('whsec_other') };
    };
    expect(await deliveredWith('During grace')).toEqual({ v1s: 2, old: true, new: true, other: false });

    // The grace period over (its end moved into the past): the new secret only.
    await s.app.services.prisma.webhook.update({ where: { id: uuidOf(hook.id) }, data: { previousSecretExpiresAt: new Date(Date.now() - 1_000) } });
    expect(await deliveredWith('After grace')).toEqual({ v1s: 1, old: false, new: true, other: false });
    await coordinator.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hook.id });
  });

  it('testWebhook: a PING through the normal delivery path, its id in the delivery log', async () => {
    const hook = await createHook(hooked.url);
    const d = (await coordinator.ok(`mutation($id: ID!) { testWebhook(id: $id) { id kind status eventCursor } }`, { id: hook.id })).testWebhook;
    expect(d).toMatchObject({ kind: 'PING', status: 'PENDING', eventCursor: null });
    const got = await waitFor(() => hooked.received.find((r) => r.headers['x-mutual-aid-delivery'] === d.id), 15_000);
    expect(verifySignature(hook.secret, got.body, String(got.headers[SIG]))).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ delivery: d.id, type: 'PING', webhook: hook.id });
    const log = await waitFor(async () => {
      const w = (await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 5) { edges { node { id kind status responseStatus } } } } } }`, { id: hook.id })).node;
      const mine = w.deliveries.edges.find((e: any) => e.node.id === d.id);
      return mine?.node.status === 'SENT' && mine.node;
    });
    expect(log).toEqual({ id: d.id, kind: 'PING', status: 'SENT', responseStatus: 200 });
    await coordinator.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hook.id });
  });

  it("a coordinator of another community gets FORBIDDEN on each operation and changes nothing; admins manage every webhook", async () => {
    const hook = await createHook(hooked.url);
    const before = await s.app.services.prisma.webhook.findUniqueOrThrow({ where: { id: uuidOf(hook.id) } });
    for (const [name, fields] of [
      ['disableWebhook', '{ id }'],
      ['enableWebhook', '{ id }'],
      ['rotateWebhookSecret', '{ secret }'],
      ['testWebhook', '{ id }'],
      ['deleteWebhook', ''],
    ] as const) {
      const r = await op(outsider, name, hook.id, fields);
      expect(r.errors?.[0]?.extensions?.code, name).toBe('FORBIDDEN');
      expect(r.data?.[name] ?? null, name).toBeNull();
    }
    expect((await outsider.ok(`{ webhooks { id } }`)).webhooks).toEqual([]);
    expect(await s.app.services.prisma.webhook.findUniqueOrThrow({ where: { id: uuidOf(hook.id) } })).toEqual(before);
    expect(await s.app.services.prisma.webhookDelivery.count({ where: { webhookId: before.id } })).toBe(0);

    // An id that names no webhook: NOT_FOUND.
    const missing = Buffer.from('Webhook:00000000-0000-7000-8000-000000000000').toString('base64');
    expect((await op(coordinator, 'disableWebhook', missing, '{ id }')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // The owner lists it; an admin lists and manages it too.
    expect((await coordinator.ok(`{ webhooks { id } }`)).webhooks.map((w: { id: string }) => w.id)).toContain(hook.id);
    expect((await admin.ok(`{ webhooks { id } }`)).webhooks.map((w: { id: string }) => w.id)).toContain(hook.id);
    expect((await admin.ok(`mutation($id: ID!) { disableWebhook(id: $id) { active } }`, { id: hook.id })).disableWebhook.active).toBe(false);
    expect((await admin.ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hook.id })).deleteWebhook).toBe(hook.id);
  });
});
