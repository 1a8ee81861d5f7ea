// Webhooks are no way into the server's network (issue "Attack surface": an open SSRF). A
// coordinator cannot register a URL naming loopback, a private or link-local address or
// localhost; a webhook that points there anyway (its name re-resolved, say) is never
// contacted, and its delivery log reads like a closed port's, so it maps nothing; a redirect
// is not followed. Only the hosts the operator allow-lists (OUTBOUND_ALLOW_HOSTS) are reached
// on loopback.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { startReceiver } from '../helpers/sinks.ts';
import { deliverWebhooks, enqueueWebhookDeliveries } from '../../api/src/domain/webhooks.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let s: TestServer;
let admin: Api;
/** A loopback service the operator did not allow-list: an attacker's target. */
let internal: Receiver;
/** An allow-listed partner on loopback that redirects to `elsewhere`. */
let redirector: Receiver;
/** Another allow-listed loopback port: allowed, but only reachable by a redirect here. */
let elsewhere: Receiver;

const CREATE = `mutation($u: String!, $c: ID!) { createWebhook(url: $u, communityId: $c, eventTypes: [CREATED]) { webhook { id } } }`;
const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;

async function coordinatorOfNewCommunity() {
  const community = await createCommunity(admin);
  return { community, coordinator: await member(s.url, admin, community, 'COORDINATOR') };
}

/** Turns the events into deliveries and attempts them, as the worker does; the log after. */
async function deliverAndRead(coordinator: Api, webhookId: string) {
  await enqueueWebhookDeliveries(s.app.services);
  await deliverWebhooks(s.app.services);
  const hooks = (await coordinator.ok(`{ webhooks { id deliveries(first: 10) { edges { node { status attempts responseStatus lastError } } } } }`)).webhooks;
  return hooks.find((h: { id: string }) => h.id === webhookId).deliveries.edges.map((e: { node: unknown }) => e.node);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  internal = await startReceiver();
  elsewhere = await startReceiver();
  redirector = await startReceiver(() => ({ status: 302, headers: { location: `http://127.0.0.1:${elsewhere.port}/internal-admin` } }));
  s = await startServer({
    OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${redirector.port}, 127.0.0.1:${elsewhere.port}`,
    // One attempt: a failed delivery is final at once.
    WEBHOOK_MAX_ATTEMPTS: '1',
  });
  admin = await adminClient(s.url, s.app.services.prisma);
  // The outbox cursor starts at the first run; start it before any event of these tests.
  await enqueueWebhookDeliveries(s.app.services);
});
afterAll(async () => {
  await s?.stop();
  await Promise.all([internal?.stop(), redirector?.stop(), elsewhere?.stop()]);
});

describe('registering a webhook', () => {
  it('refuses loopback, unspecified, private, link-local and localhost URLs in every spelling', async () => {
    const { community, coordinator } = await coordinatorOfNewCommunity();
    const urls = [
      `http://127.0.0.1:${internal.port}/hook`,
      'http://[::1]:1/',
      'http://2130706433:1/',
      'http://0x7f.0.0.1:1/',
      'http://0177.0.0.1:1/',
      'http://127.1:1/',
      'http://0.0.0.0:1/',
      'http://localhost:1/',
      'http://LOCALHOST.:1/',
      'http://admin.localhost/',
      'http://[::ffff:127.0.0.1]:1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      `http://partner.example.org@127.0.0.1:${internal.port}/`,
    ];
    for (const u of urls) {
      const r = await coordinator.gql(CREATE, { u, c: community });
      expect([u, r.errors?.[0]?.extensions]).toEqual([u, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'url' })]);
    }
    expect((await coordinator.ok(`{ webhooks { id } }`)).webhooks).toEqual([]);
    expect(await s.app.services.prisma.webhook.count({ where: { communityId: uuidOf(community) } })).toBe(0);
  });

  it('accepts a public URL and an allow-listed loopback host:port', async () => {
    const { community, coordinator } = await coordinatorOfNewCommunity();
    for (const u of ['https://partner.example.org/hooks/aid', redirector.url]) {
      expect((await coordinator.ok(CREATE, { u, c: community })).createWebhook.webhook.id).toBeTruthy();
    }
  });
});

describe('delivering', () => {
  it('never contacts a loopback listener, and logs it as it logs a closed port', async () => {
    const { community, coordinator } = await coordinatorOfNewCommunity();
    // Registered while the name looked public; by delivery time it points inside (as a
    // re-resolved DNS name would). The check at delivery is the real guard.
    const open = (await coordinator.ok(CREATE, { u: 'https://partner.example.org/open', c: community })).createWebhook.webhook.id;
    const closed = (await coordinator.ok(CREATE, { u: 'https://partner.example.org/closed', c: community })).createWebhook.webhook.id;
    await s.app.services.prisma.webhook.update({ where: { id: uuidOf(open) }, data: { url: internal.url } });
    await s.app.services.prisma.webhook.update({ where: { id: uuidOf(closed) }, data: { url: `http://127.0.0.1:${await closedPort()}/hook` } });
    await createNeed(coordinator, community);

    const openLog = await deliverAndRead(coordinator, open);
    expect(openLog).toEqual([{ status: 'FAILED', attempts: 1, responseStatus: null, lastError: 'delivery failed' }]);
    expect(internal.received).toHaveLength(0);
    // A port scan learns nothing: an open port and a closed one read the same.
    expect(await deliverAndRead(coordinator, closed)).toEqual(openLog);
  });

  it('does not follow a redirect, even to another allow-listed port', async () => {
    const { community, coordinator } = await coordinatorOfNewCommunity();
    const hook = (await coordinator.ok(CREATE, { u: redirector.url, c: community })).createWebhook.webhook.id;
    await createNeed(coordinator, community);

    expect(await deliverAndRead(coordinator, hook)).toEqual([{ status: 'FAILED', attempts: 1, responseStatus: 302, lastError: 'HTTP 302' }]);
    expect(redirector.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });
});
