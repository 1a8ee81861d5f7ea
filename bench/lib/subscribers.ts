// Load generator child: opens many WebSockets speaking graphql-transport-ws (a minimal
// hand-written client, so that the generator's own CPU stays small: connection_init, subscribe,
// pong; no reconnects), subscribes each with its own variables, and accounts for every `next`
// frame: which event (cursor), how late (now - the event's `at`), duplicates and losses.
// Driven over IPC by the benchmark; one process holds sockets to several targets.
import WebSocket from 'ws';
import { Histogram } from './harness.ts';

type BBox = { minLat: number; minLng: number; maxLat: number; maxLng: number };
type Sock = { ws: WebSocket; bboxes: (BBox | null)[]; recv: Uint8Array | null; open: boolean };
type Target = {
  socks: Sock[];
  base: number;
  size: number;
  hist: Histogram;
  received: number;
  outOfPhase: number;
  errors: string[];
  first: number;
  last: number;
  closedEarly: number;
};

const targets = new Map<string, Target>();
const wallNow = () => performance.timeOrigin + performance.now();

function target(name: string): Target {
  let t = targets.get(name);
  if (!t) {
    t = { socks: [], base: 0, size: 0, hist: new Histogram(), received: 0, outOfPhase: 0, errors: [], first: Infinity, last: 0, closedEarly: 0 };
    targets.set(name, t);
  }
  return t;
}

function onFrame(t: Target, sock: Sock, data: WebSocket.RawData) {
  const text = String(data);
  const now = wallNow();
  let m: any;
  try {
    m = JSON.parse(text);
  } catch {
    if (t.errors.length < 20) t.errors.push(`unparsable frame ${text.slice(0, 100)}`);
    return;
  }
  if (m.type === 'next') {
    const ev = m.payload?.data && Object.values(m.payload.data)[0] as { cursor?: string; at?: string } | undefined;
    if (!ev?.cursor) {
      if (m.payload?.errors && t.errors.length < 20) t.errors.push(JSON.stringify(m.payload.errors).slice(0, 300));
      return;
    }
    const i = Number(ev.cursor) - t.base;
    if (!sock.recv || i < 0 || i >= t.size) {
      t.outOfPhase++;
      return;
    }
    // Several subscriptions on one socket: count each delivery; losses are checked per subscription count.
    sock.recv[i] = Math.min(255, sock.recv[i]! + 1);
    t.received++;
    if (now < t.first) t.first = now;
    if (now > t.last) t.last = now;
    t.hist.add(now - Date.parse(ev.at!));
  } else if (m.type === 'ping') sock.ws.send('{"type":"pong"}');
  else if (m.type === 'error' || m.type === 'complete') {
    if (t.errors.length < 20) t.errors.push(`${m.type}: ${JSON.stringify(m.payload ?? '').slice(0, 300)}`);
  }
}

function openSocket(t: Target, wsUrl: string, query: string, variables: Record<string, unknown>[], headers: Record<string, string>, connectionParams: Record<string, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, ['graphql-transport-ws'], { headers, perMessageDeflate: false });
    const sock: Sock = { ws, bboxes: variables.map((v) => ((v.filter as { bbox?: BBox } | undefined)?.bbox ?? null)), recv: null, open: false };
    let settled = false;
    const done = (err?: string) => {
      if (settled) return;
      settled = true;
      if (err && t.errors.length < 20) t.errors.push(err);
      resolve();
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    ws.on('message', (data) => {
      if (!sock.open) {
        const m = JSON.parse(String(data));
        if (m.type === 'connection_ack') {
          sock.open = true;
          t.socks.push(sock);
          variables.forEach((v, i) => ws.send(JSON.stringify({ type: 'subscribe', id: String(i + 1), payload: { query, variables: v } })));
          done();
        }
        return;
      }
      onFrame(t, sock, data);
    });
    ws.on('error', (err) => done(`socket error: ${err.message}`));
    ws.on('close', (code, reason) => {
      if (sock.open && !closing) t.closedEarly++;
      if (sock.open && !closing && t.errors.length < 20) t.errors.push(`closed ${code} ${String(reason)}`);
      done(`closed before ack: ${code} ${String(reason)}`);
    });
  });
}

let closing = false;

process.on('message', async (m: any) => {
  try {
    const t = target(m.target ?? 'default');
    if (m.type === 'connect') {
      // m.variables: one array of variables per socket (one entry per subscription on it).
      const list: Record<string, unknown>[][] = m.variables;
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const i = next++;
          await openSocket(t, m.wsUrl, m.query, list[i]!, m.headers ?? {}, m.connectionParams?.[i] ?? m.connectionParams ?? {});
        }
      };
      await Promise.all(Array.from({ length: Math.min(m.concurrency ?? 100, list.length) }, worker));
      process.send!({ type: 'connected', sockets: t.socks.length, errors: t.errors.splice(0) });
    } else if (m.type === 'subscribe-more') {
      // One more subscription on every socket of the target (ids continue after the existing ones).
      t.socks.forEach((s, i) => {
        const v = m.variables[i % m.variables.length];
        s.bboxes.push((v.filter?.bbox ?? null) as BBox | null);
        s.ws.send(JSON.stringify({ type: 'subscribe', id: String(s.bboxes.length), payload: { query: m.query, variables: v } }));
      });
      process.send!({ type: 'subscribed-more', sockets: t.socks.length });
    } else if (m.type === 'phase') {
      t.base = m.base;
      t.size = m.size;
      t.hist = new Histogram();
      t.received = 0;
      t.outOfPhase = 0;
      t.first = Infinity;
      t.last = 0;
      for (const s of t.socks) s.recv = new Uint8Array(m.size);
      process.send!({ type: 'phase' });
    } else if (m.type === 'progress') {
      process.send!({ type: 'progress', received: t.received, last: t.last, closedEarly: t.closedEarly });
    } else if (m.type === 'report') {
      // m.events: [cursor, publicLat, publicLng][] committed in the phase.
      const events: [number, number, number][] = m.events;
      let expected = 0;
      let lost = 0;
      let duplicates = 0;
      let unexpected = 0;
      for (const s of t.socks) {
        const recv = s.recv!;
        const want = new Uint8Array(t.size);
        for (const [cursor, lat, lng] of events) {
          const i = cursor - t.base;
          if (i < 0 || i >= t.size) continue;
          for (const b of s.bboxes) if (!b || (lat >= b.minLat && lat <= b.maxLat && lng >= b.minLng && lng <= b.maxLng)) want[i]!++;
        }
        for (let i = 0; i < t.size; i++) {
          expected += want[i]!;
          if (recv[i]! < want[i]!) lost += want[i]! - recv[i]!;
          else if (recv[i]! > want[i]!) (want[i] === 0 ? (unexpected += recv[i]!) : (duplicates += recv[i]! - want[i]!));
        }
      }
      process.send!({
        type: 'report',
        expected,
        received: t.received,
        lost,
        duplicates,
        unexpected,
        outOfPhase: t.outOfPhase,
        first: t.first,
        last: t.last,
        hist: t.hist.toPairs(),
        errors: t.errors.splice(0),
        closedEarly: t.closedEarly,
      });
    } else if (m.type === 'close') {
      closing = true;
      for (const s of t.socks) s.ws.terminate();
      t.socks = [];
      closing = false;
      process.send!({ type: 'closed' });
    }
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ type: 'ready' });
