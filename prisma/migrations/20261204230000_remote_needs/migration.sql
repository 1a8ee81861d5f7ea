-- Work without a place: a phone call, help online.
ALTER TABLE "Need" ADD COLUMN "remote" BOOLEAN NOT NULL DEFAULT false;
