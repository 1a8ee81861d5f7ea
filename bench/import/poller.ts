// Load generator child: asks /health and a small GraphQL query ({ latestEventCursor }) one at a
// time each, back to back with a 10 ms pause, over keep-alive connections, from 'start' until
// 'stop', and answers with every latency (ms). Its own process, so that the uploader's work is
// not measured as the server's.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function ask(url: string, body?: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {};
    const req = http.request(url, { method: body ? 'POST' : 'GET', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

let running = false;
let samples = { health: [] as number[], graphql: [] as number[], failures: 0 };

async function loop(name: 'health' | 'graphql', url: string, body?: string) {
  while (running) {
    try {
      samples[name].push(await ask(url, body));
    } catch {
      samples.failures++;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

let loops: Promise<void>[] = [];
process.on('message', async (m: { type: string; url?: string }) => {
  try {
    if (m.type === 'start') {
      samples = { health: [], graphql: [], failures: 0 };
      running = true;
      loops = [loop('health', `${m.url}/health`), loop('graphql', `${m.url}/graphql`, '{"query":"{ latestEventCursor }"}')];
      process.send!({ type: 'started' });
    } else if (m.type === 'stop') {
      running = false;
      await Promise.all(loops);
      process.send!({ type: 'samples', ...samples });
    }
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ type: 'ready' });
