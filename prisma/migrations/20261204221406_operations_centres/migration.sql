-- AlterEnum
ALTER TYPE "MembershipRole" ADD VALUE 'HOTLINE_OPERATOR';

-- CreateTable
CREATE TABLE "CentreCoverage" (
    "centreId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CentreCoverage_pkey" PRIMARY KEY ("centreId","communityId")
);

-- CreateIndex
CREATE INDEX "CentreCoverage_communityId_idx" ON "CentreCoverage"("communityId");

-- AddForeignKey
ALTER TABLE "CentreCoverage" ADD CONSTRAINT "CentreCoverage_centreId_fkey" FOREIGN KEY ("centreId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CentreCoverage" ADD CONSTRAINT "CentreCoverage_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
