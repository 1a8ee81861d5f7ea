// A plain graphql-ws server (graphql-ws `useServer` with a trivial schema), with the API's own
// graphql and graphql-ws versions: the same subscription document is accepted, and every
// subscription waits idle. The middle point between the raw `ws` floor and the API.
// IPC (when spawned with one): stats, gc.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { apiRequire } from './harness.ts';

const { buildSchema } = apiRequire('graphql') as typeof import('graphql');
const { useServer } = (await import(apiRequire.resolve('graphql-ws/use/ws'))) as typeof import('graphql-ws/use/ws');

const schema = buildSchema(`
  input BBoxInput { minLat: Float! minLng: Float! maxLat: Float! maxLng: Float! }
  input NeedEventFilter { bbox: BBoxInput }
  type Need { id: ID! title: String! category: String! urgency: String! status: String! publicLat: Float! publicLng: Float! openSlots: Int! }
  type NeedEvent { cursor: String! type: String! toStatus: String! at: String! need: Need! }
  type Query { ok: Boolean }
  type Subscription { needEvents(filter: NeedEventFilter, after: String): NeedEvent! }
`);

let active = 0;
const idle = (): AsyncIterableIterator<unknown> => {
  let wake: (() => void) | null = null;
  let done = false;
  active++;
  const it: AsyncIterableIterator<unknown> = {
    next: async () => {
      if (!done) await new Promise<void>((r) => (wake = r));
      return { done: true, value: undefined };
    },
    return: async () => {
      if (!done) active--;
      done = true;
      wake?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
};

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, maxPayload: 256 * 1024 });
useServer({ schema, roots: { subscription: { needEvents: idle } } }, wss);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'ready', port, url: `http://127.0.0.1:${port}` });
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', async (m: { type: string }) => {
  const stats = () => ({ memory: process.memoryUsage(), subscribers: active, sockets: wss.clients.size });
  if (m.type === 'stats') process.send!({ type: 'stats', ...stats() });
  else if (m.type === 'gc') {
    for (let i = 0; i < 4; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    process.send!({ type: 'gc', ...stats() });
  } else if (m.type === 'stop') process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
