// The floor for bench:claims: a tiny node http server that decides a claim with one hand-written
// SQL statement through `pg` (the session, the membership, the need's row lock, an open slot,
// no claim of one's own on it yet, the volunteer's cap, the claim, the need's count and status,
// the CLAIMED event), then numbers the event as the API's sequencer does (events/outbox.ts),
// and answers the same JSON as the API's claimNeed. No GraphQL, no ORM, no per-request objects:
// what the rules cost in the database and on the wire, nothing else. (What it leaves out of the
// API's rules: vetting requirements, notifications, the requester's text, recurring series.)
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
const MAX_ACTIVE = Number(process.env.MAX_ACTIVE_CLAIMS ?? 5);
const TTL_MINUTES = Number(process.env.CLAIM_TTL_MINUTES ?? 240);

const CLAIM = `
WITH viewer AS (
  SELECT u.id FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = $1 AND s."expiresAt" > now() FOR UPDATE OF u
), target AS (
  SELECT n.id, n."communityId", n.status, n.slots, n."activeClaims" FROM "Need" n WHERE n.id = $2 FOR UPDATE
), allowed AS (
  SELECT t.*, v.id AS uid FROM target t, viewer v
  WHERE EXISTS (SELECT 1 FROM "Membership" m WHERE m."userId" = v.id AND m."communityId" = t."communityId" AND m.status = 'ACTIVE')
    AND t.status = 'OPEN' AND t."activeClaims" < t.slots
    AND NOT EXISTS (SELECT 1 FROM "Claim" c WHERE c."needId" = t.id AND c."volunteerId" = v.id AND c.status IN ('ACTIVE', 'STARTED'))
    AND (SELECT count(*) FROM "Claim" c WHERE c."volunteerId" = v.id AND c.status IN ('ACTIVE', 'STARTED')) < $3
), claim AS (
  INSERT INTO "Claim" (id, "needId", "volunteerId", status, "claimedAt", "expiresAt")
  SELECT gen_random_uuid(), a.id, a.uid, 'ACTIVE', now(), now() + make_interval(mins => $4) FROM allowed a
  RETURNING id, "needId", "volunteerId"
), settled AS (
  UPDATE "Need" n SET "activeClaims" = n."activeClaims" + 1,
    status = CASE WHEN n."activeClaims" + 1 >= n.slots THEN 'CLAIMED'::"NeedStatus" ELSE n.status END,
    "firstClaimedAt" = coalesce(n."firstClaimedAt", now()), "updatedAt" = now()
  FROM allowed a WHERE n.id = a.id
  RETURNING n.id, n."communityId", n.status
), event AS (
  INSERT INTO "NeedEvent" ("needId", "communityId", type, "fromStatus", "toStatus", "actorId", "claimId", at, payload)
  SELECT s.id, s."communityId", 'CLAIMED', 'OPEN', s.status, c."volunteerId", c.id, now(), '{}' FROM settled s JOIN claim c ON c."needId" = s.id
  RETURNING id
)
SELECT (SELECT id FROM claim) AS claim, (SELECT id FROM viewer) AS viewer, (SELECT status FROM target) AS status, (SELECT count(*) FROM event) AS events`;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const json = (res: import('node:http').ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const refused = (code: string, message: string) => ({ data: null, errors: [{ message, extensions: { code } }] });

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    if (req.url === '/health') return json(res, { ok: true });
    try {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const globalId = (JSON.parse(body).variables as { id: string }).id;
      const needId = Buffer.from(globalId, 'base64').toString().split(':')[1]!;
      const { rows } = await pool.query(CLAIM, [hash(token), needId, MAX_ACTIVE, TTL_MINUTES]);
      const r = rows[0] as { claim: string | null; viewer: string | null; status: string | null };
      if (r.claim) {
        await pool.query('SELECT stamp_need_events(5000)');
        return json(res, { data: { claimNeed: { claim: { id: Buffer.from(`Claim:${r.claim}`).toString('base64'), status: 'ACTIVE' } } } });
      }
      if (!r.viewer) return json(res, refused('UNAUTHENTICATED', 'Sign in first.'));
      if (!r.status) return json(res, refused('NOT_FOUND', 'Need was not found.'));
      return json(res, refused('CLAIM_CONFLICT', 'Someone else claimed this need a moment ago.'));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(err) }] }));
    }
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'ready', port, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
