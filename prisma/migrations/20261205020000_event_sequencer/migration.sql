-- Events are written without a lock; the sequencer gives each its place in the stream after the
-- commit (api/src/events/outbox.ts). `seq` keeps every existing event's cursor; `id` is the new
-- identity, in insertion order, continuing the old sequence so existing rows keep id = seq.
ALTER TABLE "NeedEvent" DROP CONSTRAINT "NeedEvent_pkey";
ALTER TABLE "NeedEvent" ALTER COLUMN "seq" DROP DEFAULT, ALTER COLUMN "seq" DROP NOT NULL;
ALTER SEQUENCE "NeedEvent_seq_seq" OWNED BY NONE;
ALTER SEQUENCE "NeedEvent_seq_seq" RENAME TO "NeedEvent_id_seq";
ALTER TABLE "NeedEvent" ADD COLUMN "id" BIGINT;
UPDATE "NeedEvent" SET "id" = "seq";
ALTER TABLE "NeedEvent" ALTER COLUMN "id" SET NOT NULL, ALTER COLUMN "id" SET DEFAULT nextval('"NeedEvent_id_seq"');
ALTER SEQUENCE "NeedEvent_id_seq" OWNED BY "NeedEvent"."id";
ALTER TABLE "NeedEvent" ADD CONSTRAINT "NeedEvent_pkey" PRIMARY KEY ("id");
CREATE UNIQUE INDEX "NeedEvent_seq_key" ON "NeedEvent"("seq");

-- A requester's text points at the event that caused it by its identity (it has no seq yet when written).
ALTER TABLE "RequesterText" ADD COLUMN "eventId" BIGINT;
UPDATE "RequesterText" SET "eventId" = "eventSeq";
ALTER TABLE "RequesterText" ALTER COLUMN "eventId" SET NOT NULL;
ALTER TABLE "RequesterText" DROP COLUMN "eventSeq";
CREATE UNIQUE INDEX "RequesterText_eventId_key" ON "RequesterText"("eventId");

-- The sequencer: numbers committed events that have no seq, in insertion order, after the highest
-- seq, at most `max_rows` of them; returns how many. The advisory lock serialises stamps, and
-- each statement of a PL/pgSQL function takes a new snapshot, so the UPDATE sees the previous
-- stamp, committed before the lock was granted. A stamp is visible before its lock is released,
-- so seq order is stamp order and a reader never sees seq N + 1 without N.
CREATE FUNCTION stamp_need_events(max_rows integer) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  stamped integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "NeedEvent" WHERE "seq" IS NULL) THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(72160001);
  WITH top AS (SELECT coalesce(max("seq"), 0) AS seq FROM "NeedEvent"),
       pending AS (SELECT "id", row_number() OVER (ORDER BY "id") AS n FROM "NeedEvent" WHERE "seq" IS NULL ORDER BY "id" LIMIT max_rows)
  UPDATE "NeedEvent" e SET "seq" = top.seq + pending.n FROM top, pending WHERE e."id" = pending."id";
  GET DIAGNOSTICS stamped = ROW_COUNT;
  RETURN stamped;
END
$$;
