// One socket speaking graphql-transport-ws with one subscription, in the bench process itself
// (for a few hundred sockets; bench/lib/subscribers.ts is the child for thousands).
import WebSocket from 'ws';

/** Opens the socket, waits for the ack, subscribes; `onData` gets each event's data. */
export async function subscribe(url: string, query: string, variables: Record<string, unknown>, onData: (data: any) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const acked = new Promise((r) =>
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.type === 'connection_ack') r(null);
      else if (msg.type === 'next' && msg.payload.data) onData(msg.payload.data);
    }),
  );
  ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await acked;
  ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query, variables } }));
  return ws;
}
