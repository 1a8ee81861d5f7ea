-- CreateEnum
CREATE TYPE "VettingChange" AS ENUM ('IDENTITY_CHECKED', 'IDENTITY_CLEARED', 'BACKGROUND_CHECK_RECORDED', 'BACKGROUND_CHECK_CLEARED', 'TRAINING_RECORDED', 'TRAINING_CLEARED', 'TRAINING_ADDED', 'TRAINING_RETIRED', 'TRAINING_RESTORED', 'REQUIREMENTS_SET');

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "requiredTrainings" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "requiresBackgroundCheck" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requiresIdentityCheck" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Training" (
    "communityId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "retired" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Training_pkey" PRIMARY KEY ("communityId","key")
);

-- CreateTable
CREATE TABLE "VettingRecord" (
    "userId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "identityCheckedAt" TIMESTAMP(3),
    "identityCheckedById" UUID,
    "backgroundCheckedAt" TIMESTAMP(3),
    "backgroundExpiresAt" TIMESTAMP(3),
    "backgroundRecordedById" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VettingRecord_pkey" PRIMARY KEY ("userId","communityId")
);

-- CreateTable
CREATE TABLE "TrainingCompletion" (
    "userId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "trainingKey" TEXT NOT NULL,
    "completedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "recordedById" UUID,

    CONSTRAINT "TrainingCompletion_pkey" PRIMARY KEY ("userId","communityId","trainingKey")
);

-- CreateTable
CREATE TABLE "CategoryRequirement" (
    "communityId" UUID NOT NULL,
    "category" "NeedCategory" NOT NULL,
    "identityCheck" BOOLEAN NOT NULL,
    "backgroundCheck" BOOLEAN NOT NULL,
    "trainings" TEXT[],

    CONSTRAINT "CategoryRequirement_pkey" PRIMARY KEY ("communityId","category")
);

-- CreateTable
CREATE TABLE "VettingEvent" (
    "id" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "volunteerId" UUID,
    "actorId" UUID NOT NULL,
    "change" "VettingChange" NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VettingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VettingRecord_communityId_idx" ON "VettingRecord"("communityId");

-- CreateIndex
CREATE INDEX "TrainingCompletion_communityId_idx" ON "TrainingCompletion"("communityId");

-- CreateIndex
CREATE INDEX "VettingEvent_communityId_at_idx" ON "VettingEvent"("communityId", "at");

-- CreateIndex
CREATE INDEX "VettingEvent_volunteerId_at_idx" ON "VettingEvent"("volunteerId", "at");

-- Needs already on the board that sensitive work describes take the default requirements
-- (domain/vetting.ts DEFAULT_REQUIREMENTS): no community has set its own yet.
UPDATE "Need" SET "requiresIdentityCheck" = true, "requiresBackgroundCheck" = true,
  "requiredTrainings" = CASE "category"
    WHEN 'CHILDCARE' THEN ARRAY['child-safety']
    WHEN 'HOSTING' THEN ARRAY['child-safety']
    WHEN 'ELDERLY_SUPPORT' THEN ARRAY['elderly-visiting']
    WHEN 'MENTAL_HEALTH' THEN ARRAY['hotline']
  END
WHERE "category" IN ('CHILDCARE', 'HOSTING', 'ELDERLY_SUPPORT', 'MENTAL_HEALTH')
  AND "status" IN ('OPEN', 'CLAIMED', 'IN_PROGRESS');

-- The vetting audit is append-only: the database refuses to change or delete a row of it.
CREATE FUNCTION "vetting_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'VettingEvent is append-only'; END $$;
CREATE TRIGGER "VettingEvent_append_only" BEFORE UPDATE OR DELETE ON "VettingEvent"
  FOR EACH ROW EXECUTE FUNCTION "vetting_event_append_only"();
