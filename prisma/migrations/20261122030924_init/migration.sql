-- CreateEnum
CREATE TYPE "GlobalRole" AS ENUM ('ADMIN');

-- CreateEnum
CREATE TYPE "CommunityKind" AS ENUM ('NEIGHBORHOOD', 'STUDENT', 'TOWN', 'KIBBUTZ', 'OPERATIONS_CENTER', 'PARTNER_ABROAD');

-- CreateEnum
CREATE TYPE "MembershipRole" AS ENUM ('VOLUNTEER', 'COORDINATOR');

-- CreateEnum
CREATE TYPE "NeedCategory" AS ENUM ('FOOD', 'MEDICINE', 'TRANSPORT', 'CHILDCARE', 'HOSTING', 'MENTAL_HEALTH', 'EQUIPMENT', 'ELDERLY_SUPPORT', 'AGRICULTURE', 'JOBS', 'FUNERAL_SHIVA', 'OTHER');

-- CreateEnum
CREATE TYPE "Urgency" AS ENUM ('CRITICAL', 'HIGH', 'NORMAL', 'LOW');

-- CreateEnum
CREATE TYPE "NeedStatus" AS ENUM ('OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('ACTIVE', 'STARTED', 'RELEASED', 'EXPIRED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "NeedEventType" AS ENUM ('CREATED', 'UPDATED', 'CLAIMED', 'ASSIGNED', 'RELEASED', 'UNASSIGNED', 'EXPIRED', 'EXTENDED', 'STARTED', 'COMPLETED', 'VERIFIED', 'CANCELLED', 'REOPENED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "phone" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'he',
    "skills" "NeedCategory"[],
    "homeArea" TEXT,
    "homeLat" DOUBLE PRECISION,
    "homeLng" DOUBLE PRECISION,
    "globalRole" "GlobalRole",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Community" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "CommunityKind" NOT NULL,
    "area" TEXT NOT NULL,
    "country" TEXT NOT NULL DEFAULT 'IL',
    "centerLat" DOUBLE PRECISION NOT NULL,
    "centerLng" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Community_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "userId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "role" "MembershipRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId","communityId")
);

-- CreateTable
CREATE TABLE "Need" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "category" "NeedCategory" NOT NULL,
    "urgency" "Urgency" NOT NULL,
    "status" "NeedStatus" NOT NULL DEFAULT 'OPEN',
    "slots" INTEGER NOT NULL DEFAULT 1,
    "activeClaims" INTEGER NOT NULL DEFAULT 0,
    "neededFrom" TIMESTAMP(3),
    "neededBy" TIMESTAMP(3),
    "lat" DOUBLE PRECISION NOT NULL,
    "lng" DOUBLE PRECISION NOT NULL,
    "address" TEXT NOT NULL,
    "publicLat" DOUBLE PRECISION NOT NULL,
    "publicLng" DOUBLE PRECISION NOT NULL,
    "requesterName" TEXT NOT NULL,
    "requesterPhone" TEXT,
    "communityId" UUID NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "firstClaimedAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "Need_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "volunteerId" UUID NOT NULL,
    "status" "ClaimStatus" NOT NULL DEFAULT 'ACTIVE',
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "releaseReason" TEXT,
    "note" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "verifiedById" UUID,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedEvent" (
    "seq" BIGSERIAL NOT NULL,
    "needId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "type" "NeedEventType" NOT NULL,
    "fromStatus" "NeedStatus",
    "toStatus" "NeedStatus" NOT NULL,
    "actorId" UUID,
    "claimId" UUID,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "NeedEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "PrivateAccessLog" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivateAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Community_slug_key" ON "Community"("slug");

-- CreateIndex
CREATE INDEX "Membership_communityId_role_idx" ON "Membership"("communityId", "role");

-- CreateIndex
CREATE INDEX "Need_status_publicLat_publicLng_idx" ON "Need"("status", "publicLat", "publicLng");

-- CreateIndex
CREATE INDEX "Need_status_category_urgency_idx" ON "Need"("status", "category", "urgency");

-- CreateIndex
CREATE INDEX "Need_communityId_status_idx" ON "Need"("communityId", "status");

-- CreateIndex
CREATE INDEX "Need_createdAt_idx" ON "Need"("createdAt");

-- CreateIndex
CREATE INDEX "Claim_needId_status_idx" ON "Claim"("needId", "status");

-- CreateIndex
CREATE INDEX "Claim_volunteerId_status_idx" ON "Claim"("volunteerId", "status");

-- CreateIndex
CREATE INDEX "Claim_status_expiresAt_idx" ON "Claim"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "NeedEvent_needId_seq_idx" ON "NeedEvent"("needId", "seq");

-- CreateIndex
CREATE INDEX "NeedEvent_communityId_seq_idx" ON "NeedEvent"("communityId", "seq");

-- CreateIndex
CREATE INDEX "PrivateAccessLog_needId_at_idx" ON "PrivateAccessLog"("needId", "at");

-- CreateIndex
CREATE INDEX "PrivateAccessLog_userId_at_idx" ON "PrivateAccessLog"("userId", "at");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_volunteerId_fkey" FOREIGN KEY ("volunteerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedEvent" ADD CONSTRAINT "NeedEvent_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivateAccessLog" ADD CONSTRAINT "PrivateAccessLog_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivateAccessLog" ADD CONSTRAINT "PrivateAccessLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
