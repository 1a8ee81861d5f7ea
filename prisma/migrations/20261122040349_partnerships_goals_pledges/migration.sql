-- CreateEnum
CREATE TYPE "PartnershipStatus" AS ENUM ('PROPOSED', 'ACTIVE', 'PAUSED', 'ENDED');

-- CreateEnum
CREATE TYPE "TeamSide" AS ENUM ('ISRAEL', 'ABROAD', 'COORDINATOR');

-- CreateEnum
CREATE TYPE "GoalDomain" AS ENUM ('HOUSING', 'EDUCATION', 'INFRASTRUCTURE', 'SOCIAL_FABRIC', 'ECONOMY', 'HEALTH', 'AGRICULTURE', 'OTHER');

-- CreateEnum
CREATE TYPE "GoalStatus" AS ENUM ('PLANNED', 'IN_PROGRESS', 'DONE', 'BLOCKED');

-- CreateTable
CREATE TABLE "Partnership" (
    "id" UUID NOT NULL,
    "israeliCommunityId" UUID NOT NULL,
    "abroadCommunityId" UUID NOT NULL,
    "startDate" TIMESTAMP(3) NOT NULL,
    "termYears" INTEGER NOT NULL DEFAULT 3,
    "yearlyPledgeMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "PartnershipStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Partnership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnershipMember" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "userId" UUID,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "side" "TeamSide" NOT NULL,

    CONSTRAINT "PartnershipMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecoveryGoal" (
    "id" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "partnershipId" UUID,
    "title" TEXT NOT NULL,
    "domain" "GoalDomain" NOT NULL,
    "ownerName" TEXT,
    "targetDate" TIMESTAMP(3),
    "budgetMinor" BIGINT NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'ILS',
    "status" "GoalStatus" NOT NULL DEFAULT 'PLANNED',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecoveryGoal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),
    "ownerName" TEXT,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedGoal" (
    "needId" UUID NOT NULL,
    "goalId" UUID NOT NULL,

    CONSTRAINT "NeedGoal_pkey" PRIMARY KEY ("needId","goalId")
);

-- CreateTable
CREATE TABLE "Pledge" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,

    CONSTRAINT "Pledge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disbursement" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "goalId" UUID,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,

    CONSTRAINT "Disbursement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Partnership_israeliCommunityId_idx" ON "Partnership"("israeliCommunityId");

-- CreateIndex
CREATE INDEX "Partnership_abroadCommunityId_idx" ON "Partnership"("abroadCommunityId");

-- CreateIndex
CREATE INDEX "RecoveryGoal_communityId_idx" ON "RecoveryGoal"("communityId");

-- CreateIndex
CREATE INDEX "Milestone_goalId_idx" ON "Milestone"("goalId");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_partnershipId_year_currency_key" ON "Pledge"("partnershipId", "year", "currency");

-- CreateIndex
CREATE INDEX "Disbursement_partnershipId_paidAt_idx" ON "Disbursement"("partnershipId", "paidAt");

-- AddForeignKey
ALTER TABLE "PartnershipMember" ADD CONSTRAINT "PartnershipMember_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecoveryGoal" ADD CONSTRAINT "RecoveryGoal_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "RecoveryGoal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedGoal" ADD CONSTRAINT "NeedGoal_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedGoal" ADD CONSTRAINT "NeedGoal_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "RecoveryGoal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "RecoveryGoal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
