-- CreateEnum
CREATE TYPE "JoinPolicy" AS ENUM ('OPEN', 'APPROVAL');

-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('PENDING', 'ACTIVE', 'DECLINED');

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'MEMBERSHIP_DECIDED';

-- AlterTable: communities that exist already were open to anyone and stay so (a coordinator
-- may require approval); communities created from now on require it unless made OPEN.
ALTER TABLE "Community" ADD COLUMN     "joinPolicy" "JoinPolicy" NOT NULL DEFAULT 'OPEN';
ALTER TABLE "Community" ALTER COLUMN "joinPolicy" SET DEFAULT 'APPROVAL';

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" UUID,
ADD COLUMN     "declineReason" TEXT,
ADD COLUMN     "note" TEXT,
ADD COLUMN     "status" "MembershipStatus" NOT NULL DEFAULT 'ACTIVE';

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "invitedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMP(3),
    "declinedAt" TIMESTAMP(3),
    "emailSentAt" TIMESTAMP(3),
    "emailAttempts" INTEGER NOT NULL DEFAULT 0,
    "emailNextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactAccessLog" (
    "id" UUID NOT NULL,
    "subjectId" UUID NOT NULL,
    "readerId" UUID NOT NULL,
    "communityId" UUID,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- CreateIndex
CREATE INDEX "Invitation_emailSentAt_emailNextAttemptAt_idx" ON "Invitation"("emailSentAt", "emailNextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_communityId_email_key" ON "Invitation"("communityId", "email");

-- CreateIndex
CREATE INDEX "ContactAccessLog_subjectId_at_idx" ON "ContactAccessLog"("subjectId", "at");

-- CreateIndex
CREATE INDEX "ContactAccessLog_readerId_at_idx" ON "ContactAccessLog"("readerId", "at");

-- CreateIndex
CREATE INDEX "ContactAccessLog_communityId_at_idx" ON "ContactAccessLog"("communityId", "at");

-- CreateIndex
CREATE INDEX "Membership_communityId_status_createdAt_idx" ON "Membership"("communityId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactAccessLog" ADD CONSTRAINT "ContactAccessLog_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactAccessLog" ADD CONSTRAINT "ContactAccessLog_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactAccessLog" ADD CONSTRAINT "ContactAccessLog_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
