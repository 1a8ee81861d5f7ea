// The floor: a tiny node http server running one hand-written `pg` query and serialising the
// rows to the same JSON as the API's board query (global ids, edges/node), nothing else.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
const SQL = `SELECT id, title, category, urgency, status, "publicLat", "publicLng" FROM "Need"
  WHERE "onBoard" AND status IN ('OPEN', 'CLAIMED', 'IN_PROGRESS')
    AND "publicLat" BETWEEN $1 AND $2 AND "publicLng" BETWEEN $3 AND $4
  ORDER BY urgency, "createdAt", id LIMIT 1000`;

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    try {
      const { bbox: b } = JSON.parse(body).variables as { bbox: { minLat: number; minLng: number; maxLat: number; maxLng: number } };
      const { rows } = await pool.query(SQL, [b.minLat, b.maxLat, b.minLng, b.maxLng]);
      const edges = rows.map((r) => ({
        node: { id: Buffer.from(`Need:${r.id}`).toString('base64'), title: r.title, category: r.category, urgency: r.urgency, status: r.status, publicLat: r.publicLat, publicLng: r.publicLng },
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { needs: { edges } } }));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(err) }] }));
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'ready', port, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
