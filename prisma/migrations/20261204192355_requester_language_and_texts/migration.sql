-- CreateEnum
CREATE TYPE "RequesterTextKind" AS ENUM ('TAKEN', 'DONE');

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "requesterLocale" TEXT NOT NULL DEFAULT 'he';

-- CreateTable
CREATE TABLE "RequesterText" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "eventSeq" BIGINT NOT NULL,
    "kind" "RequesterTextKind" NOT NULL,
    "volunteerName" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "RequesterText_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RequesterText_eventSeq_key" ON "RequesterText"("eventSeq");

-- CreateIndex
CREATE INDEX "RequesterText_status_nextAttemptAt_idx" ON "RequesterText"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "RequesterText" ADD CONSTRAINT "RequesterText_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;
