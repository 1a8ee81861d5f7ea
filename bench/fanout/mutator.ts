// Load generator child: commits mutations at a steady rate (open loop: the k-th is sent at
// start + k/rate whatever happened to the others) or as a burst (`rate` 0: as fast as
// `concurrency` allows). Against the API: updateNeed (a title change, which appends an UPDATED
// event); against the floor: POST /broadcast. Driven over IPC.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const wallNow = () => performance.timeOrigin + performance.now();

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const UPDATE = 'mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { id } } }';

type Run = { target: 'api' | 'raw'; url: string; token?: string; needIds: string[]; count: number; rate: number; concurrency: number; label: string };

async function run(r: Run) {
  const results: { k: number; needIndex: number; sentAt: number; doneAt: number; ok: boolean; seq?: number; error?: string }[] = [];
  const one = async (k: number) => {
    const needIndex = (k * 7919) % r.needIds.length;
    const title = `bench ${r.label} ${k}`;
    const sentAt = wallNow();
    try {
      if (r.target === 'api') {
        const res = await post(`${r.url}/graphql`, JSON.stringify({ query: UPDATE, variables: { id: r.needIds[needIndex], input: { title } } }), { authorization: `Bearer ${r.token}` });
        const body = JSON.parse(res.text);
        const ok = res.status === 200 && !body.errors;
        results.push({ k, needIndex, sentAt, doneAt: wallNow(), ok, ...(ok ? {} : { error: res.text.slice(0, 300) }) });
      } else {
        const res = await post(`${r.url}/broadcast`, JSON.stringify({ needIndex, title }), {});
        results.push({ k, needIndex, sentAt, doneAt: wallNow(), ok: res.status === 200, seq: JSON.parse(res.text).seq });
      }
    } catch (err) {
      results.push({ k, needIndex, sentAt, doneAt: wallNow(), ok: false, error: String(err) });
    }
  };
  const t0 = wallNow();
  if (r.rate > 0) {
    const pending: Promise<void>[] = [];
    for (let k = 0; k < r.count; k++) {
      const wait = t0 + (k * 1000) / r.rate - wallNow();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      pending.push(one(k));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: r.concurrency }, async () => {
        while (next < r.count) await one(next++);
      }),
    );
  }
  return { t0, t1: wallNow(), results };
}

process.on('message', async (m: any) => {
  try {
    if (m.type === 'run') process.send!({ type: 'done', ...(await run(m)) });
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ type: 'ready' });
