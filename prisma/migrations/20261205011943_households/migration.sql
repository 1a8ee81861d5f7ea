-- CreateEnum
CREATE TYPE "BeneficiaryGroup" AS ENUM ('EVACUEES', 'RESERVISTS_FAMILIES', 'HOSTAGES_FAMILIES', 'ELDERLY', 'INJURED', 'OTHER');

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "householdId" UUID;

-- CreateTable
CREATE TABLE "Household" (
    "id" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "phoneKey" TEXT,
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "accessibilityNeeds" TEXT NOT NULL DEFAULT '',
    "size" INTEGER NOT NULL,
    "ages0to5" INTEGER NOT NULL DEFAULT 0,
    "ages6to17" INTEGER NOT NULL DEFAULT 0,
    "ages18to64" INTEGER NOT NULL DEFAULT 0,
    "ages65plus" INTEGER NOT NULL DEFAULT 0,
    "groups" "BeneficiaryGroup"[] DEFAULT ARRAY[]::"BeneficiaryGroup"[],
    "homeCommunityId" UUID,
    "currentLocation" TEXT,
    "consentAt" TIMESTAMP(3) NOT NULL,
    "consentById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Household_communityId_phoneKey_key" ON "Household"("communityId", "phoneKey");

-- CreateIndex
CREATE INDEX "Need_householdId_idx" ON "Need"("householdId");

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A member id that names no account (the column had no foreign key before) is forgotten, not a failed migration.
UPDATE "PartnershipMember" m SET "userId" = NULL WHERE "userId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = m."userId");

-- AddForeignKey
ALTER TABLE "PartnershipMember" ADD CONSTRAINT "PartnershipMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_homeCommunityId_fkey" FOREIGN KEY ("homeCommunityId") REFERENCES "Community"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_consentById_fkey" FOREIGN KEY ("consentById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
