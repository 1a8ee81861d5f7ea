// The README's partner client (docs/examples/partner-client.ts) run as a partner would run it,
// against a real server in production mode with a real API key: so the example cannot rot. It is
// run byte for byte from a copy beside the tests' node_modules (where its one dependency,
// graphql-ws, is installed), by the Node that runs the tests.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';

const EXAMPLE = fileURLToPath(new URL('../../docs/examples/partner-client.ts', import.meta.url));
const ADDRESS = '3 Example Street, Sderot';

let s: TestServer;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  dir = await mkdtemp(join(fileURLToPath(new URL('..', import.meta.url)), '.partner-example-'));
  await copyFile(EXAMPLE, join(dir, 'partner-client.ts'));
});
afterAll(async () => {
  child?.kill();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

it('lists the needs of its communities with their private details, then follows their events live over graphql-ws', async () => {
  const admin = await adminClient(s.url, s.app.services.prisma);
  const mine = await createCommunity(admin);
  const theirs = await createCommunity(admin);
  const coordinator = await member(s.url, admin, mine, 'COORDINATOR');
  const inMine = await createNeed(coordinator, mine, { address: ADDRESS });
  await createNeed(admin, theirs, { address: ADDRESS });
  const { createApiKey } = await coordinator.ok(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }`, { i: { name: 'example', communityIds: [mine] } });

  const lines: Record<string, any>[] = [];
  let stderr = '';
  let exit: number | null = null;
  child = spawn(process.execPath, [join(dir, 'partner-client.ts')], {
    env: { ...process.env, MAB_URL: s.url, MAB_API_KEY: createApiKey.token, MAB_COMMUNITY_IDS: mine, MAB_AFTER: '0', MAB_MAX_EVENTS: '2', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
  });
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  child.on('exit', (code) => void (exit = code));
  const patience = { timeout: 30_000, interval: 50 };

  // Over HTTP: its community's need, private details included; nothing of the other community.
  await expect.poll(() => lines.find((l) => l.kind === 'event') ?? (exit !== null ? stderr : undefined), patience).toMatchObject({ kind: 'event' });
  expect(lines.filter((l) => l.kind === 'need')).toEqual([{ kind: 'need', id: inMine.id, title: inMine.title, community: { id: mine }, privateDetails: { address: ADDRESS } }]);
  // The stored event (replayed after cursor 0), then a live one.
  expect(lines.find((l) => l.kind === 'event')).toMatchObject({ type: 'CREATED', need: { id: inMine.id, privateDetails: { address: ADDRESS } } });
  await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { description: "Two bags" }) { need { id } } }`, { id: inMine.id });
  await expect.poll(() => exit, patience).toBe(0);
  const events = lines.filter((l) => l.kind === 'event');
  expect(events).toHaveLength(2);
  expect(events[1]).toMatchObject({ type: 'UPDATED', need: { id: inMine.id, community: { id: mine } } });
  expect(BigInt(events[1]!.cursor)).toBeGreaterThan(BigInt(events[0]!.cursor));
});
