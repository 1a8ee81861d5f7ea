// Load generator child: fires one claimNeed per (token, need) pair, all at once, over
// keep-alive connections opened beforehand, and records each answer and its latency.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const CLAIM = 'mutation($id: ID!) { claimNeed(needId: $id) { claim { id status } } }';

function post(url: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', async (m: { type: string; url: string; pairs: [string, string][]; warm?: number }) => {
  try {
    if (m.type === 'warm') {
      // Open the connections first, so that the claims themselves all leave at once.
      // (A socket the server closed while idle may fail once: that is fine here.)
      await Promise.all(Array.from({ length: m.warm ?? 0 }, () => post(`${m.url}/health`, '').catch(() => null)));
      process.send!({ type: 'warmed' });
      return;
    }
    const t0 = performance.now();
    const outcomes = await Promise.all(
      m.pairs.map(async ([token, needId]) => {
        const s = performance.now();
        try {
          const res = await post(`${m.url}/graphql`, JSON.stringify({ query: CLAIM, variables: { id: needId } }), token);
          const body = JSON.parse(res.text);
          const code = body.errors ? (body.errors[0].extensions?.code ?? 'UNKNOWN') : 'WON';
          return { ms: performance.now() - s, code, claimId: body.data?.claimNeed?.claim?.id ?? null, message: body.errors?.[0]?.message };
        } catch (err) {
          return { ms: performance.now() - s, code: 'NO_ANSWER', claimId: null, message: String(err) };
        }
      }),
    );
    process.send!({ type: 'done', wallMs: performance.now() - t0, outcomes });
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ type: 'ready' });
