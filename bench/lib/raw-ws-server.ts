// The floor: a raw `ws` server speaking just enough of graphql-transport-ws (connection_init →
// connection_ack, subscribe with a bbox filter in its variables) to hold the same sockets and
// subscriptions as the API, and to send the same payloads: one JSON.stringify per event, the
// subscription id spliced in per socket. No GraphQL, no database.
//   POST /broadcast {"needIndex": n, "title": "..."} -> {"seq": s}   (fan-out benchmark)
// IPC (when spawned with one): stats, gc.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';

type BBox = { minLat: number; minLng: number; maxLat: number; maxLng: number };
type Need = { id: string; category: string; urgency: string; status: string; publicLat: number; publicLng: number; openSlots: number };
type Sub = { id: string; bbox: BBox | null };

const needs: Need[] = process.env.NEEDS_FILE ? JSON.parse(readFileSync(process.env.NEEDS_FILE, 'utf8')) : [];
const subs = new Map<WebSocket, Sub[]>();
let subscriptionCount = 0;
let seq = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { needIndex, title } = JSON.parse(body) as { needIndex: number; title: string };
      const n = needs[needIndex]!;
      const event = {
        cursor: String(++seq),
        type: 'UPDATED',
        toStatus: n.status,
        at: new Date().toISOString(),
        need: { id: n.id, title, category: n.category, urgency: n.urgency, status: n.status, publicLat: n.publicLat, publicLng: n.publicLng, openSlots: n.openSlots },
      };
      const payload = JSON.stringify({ data: { needEvents: event } });
      for (const [ws, list] of subs) {
        for (const s of list) {
          const b = s.bbox;
          if (b && (n.publicLat < b.minLat || n.publicLat > b.maxLat || n.publicLng < b.minLng || n.publicLng > b.maxLng)) continue;
          ws.send(`{"id":${JSON.stringify(s.id)},"type":"next","payload":${payload}}`);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seq }));
    });
    return;
  }
  if (req.url === '/health') return void res.writeHead(200).end('ok');
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server, maxPayload: 256 * 1024 });
wss.on('connection', (ws) => {
  const list: Sub[] = [];
  subs.set(ws, list);
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'connection_init') ws.send('{"type":"connection_ack"}');
    else if (m.type === 'subscribe') {
      list.push({ id: m.id, bbox: m.payload?.variables?.filter?.bbox ?? null });
      subscriptionCount++;
    } else if (m.type === 'complete') {
      const i = list.findIndex((s) => s.id === m.id);
      if (i >= 0) {
        list.splice(i, 1);
        subscriptionCount--;
      }
    } else if (m.type === 'ping') ws.send('{"type":"pong"}');
  });
  ws.on('close', () => {
    subscriptionCount -= list.length;
    subs.delete(ws);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'ready', port, url: `http://127.0.0.1:${port}` });
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', async (m: { type: string }) => {
  const stats = () => ({ memory: process.memoryUsage(), subscribers: subscriptionCount, sockets: subs.size, seq });
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
