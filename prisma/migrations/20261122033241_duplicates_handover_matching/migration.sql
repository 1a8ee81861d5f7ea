-- CreateEnum
CREATE TYPE "DuplicateStatus" AS ENUM ('OPEN', 'MERGED', 'DISMISSED');

-- CreateEnum
CREATE TYPE "HandoverStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'AUTO_APPROVED', 'CANCELLED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NeedEventType" ADD VALUE 'MERGED';
ALTER TYPE "NeedEventType" ADD VALUE 'HANDOVER_REQUESTED';
ALTER TYPE "NeedEventType" ADD VALUE 'HANDOVER_ACCEPTED';
ALTER TYPE "NeedEventType" ADD VALUE 'HANDOVER_DECLINED';
ALTER TYPE "NeedEventType" ADD VALUE 'HANDOVER_AUTO_APPROVED';

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "mergedIntoId" UUID,
ADD COLUMN     "requesterEmail" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "availableDays" INTEGER[],
ADD COLUMN     "availableFromHour" INTEGER,
ADD COLUMN     "availableToHour" INTEGER;

-- CreateTable
CREATE TABLE "DuplicateCandidate" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "otherNeedId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" TEXT[],
    "status" "DuplicateStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedById" UUID,

    CONSTRAINT "DuplicateCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoverRequest" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "holderId" UUID NOT NULL,
    "status" "HandoverStatus" NOT NULL DEFAULT 'PENDING',
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondBy" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "HandoverRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DuplicateCandidate_communityId_status_idx" ON "DuplicateCandidate"("communityId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateCandidate_needId_otherNeedId_key" ON "DuplicateCandidate"("needId", "otherNeedId");

-- CreateIndex
CREATE INDEX "HandoverRequest_status_respondBy_idx" ON "HandoverRequest"("status", "respondBy");

-- CreateIndex
CREATE INDEX "HandoverRequest_holderId_status_idx" ON "HandoverRequest"("holderId", "status");

-- CreateIndex
CREATE INDEX "HandoverRequest_needId_idx" ON "HandoverRequest"("needId");

-- CreateIndex
CREATE INDEX "Need_requesterPhone_idx" ON "Need"("requesterPhone");

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Need"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateCandidate" ADD CONSTRAINT "DuplicateCandidate_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateCandidate" ADD CONSTRAINT "DuplicateCandidate_otherNeedId_fkey" FOREIGN KEY ("otherNeedId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoverRequest" ADD CONSTRAINT "HandoverRequest_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoverRequest" ADD CONSTRAINT "HandoverRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoverRequest" ADD CONSTRAINT "HandoverRequest_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
