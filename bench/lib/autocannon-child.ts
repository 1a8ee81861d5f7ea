// Load generator child: one autocannon run (POST, fixed body), results to the parent over IPC.
import autocannon from 'autocannon';

process.on('message', async (m: { url: string; body: string; headers?: Record<string, string>; connections: number; duration: number; amount?: number }) => {
  try {
    const result = await autocannon({
      url: m.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(m.headers ?? {}) },
      body: m.body,
      connections: m.connections,
      duration: m.duration,
      amount: m.amount,
      pipelining: 1,
      timeout: 30,
    });
    process.send!({
      type: 'result',
      requestsPerSecond: result.requests.average,
      total: result.requests.total,
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      bytesPerSecond: result.throughput.average,
    });
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
process.send!({ type: 'ready' });
