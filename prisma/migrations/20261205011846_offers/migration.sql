-- CreateEnum
CREATE TYPE "OfferKind" AS ENUM ('HOSTING', 'RIDE', 'GOODS', 'SKILL');

-- CreateEnum
CREATE TYPE "OfferMatchStatus" AS ENUM ('PROPOSED', 'ACCEPTED', 'DECLINED', 'RELEASED');

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "destinationAddress" TEXT,
ADD COLUMN     "destinationLat" DOUBLE PRECISION,
ADD COLUMN     "destinationLng" DOUBLE PRECISION,
ADD COLUMN     "destinationPublicLat" DOUBLE PRECISION,
ADD COLUMN     "destinationPublicLng" DOUBLE PRECISION,
ADD COLUMN     "needsStepFree" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "people" INTEGER;

-- CreateTable
CREATE TABLE "Offer" (
    "id" UUID NOT NULL,
    "kind" "OfferKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "communityId" UUID NOT NULL,
    "offeredById" UUID NOT NULL,
    "organisation" TEXT,
    "capacity" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lng" DOUBLE PRECISION NOT NULL,
    "address" TEXT NOT NULL,
    "contactPhone" TEXT,
    "publicLat" DOUBLE PRECISION NOT NULL,
    "publicLng" DOUBLE PRECISION NOT NULL,
    "destinationLat" DOUBLE PRECISION,
    "destinationLng" DOUBLE PRECISION,
    "destinationAddress" TEXT,
    "destinationPublicLat" DOUBLE PRECISION,
    "destinationPublicLng" DOUBLE PRECISION,
    "availableFrom" TIMESTAMP(3),
    "availableUntil" TIMESTAMP(3),
    "stepFree" BOOLEAN NOT NULL DEFAULT false,
    "petsAllowed" BOOLEAN NOT NULL DEFAULT false,
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "recurringNote" TEXT,
    "items" JSONB,
    "service" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferMatch" (
    "id" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "OfferMatchStatus" NOT NULL DEFAULT 'PROPOSED',
    "proposedById" UUID,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "offerAcceptedById" UUID,
    "offerAcceptedAt" TIMESTAMP(3),
    "needAcceptedById" UUID,
    "needAcceptedAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "declinedAt" TIMESTAMP(3),
    "declinedById" UUID,
    "releasedAt" TIMESTAMP(3),
    "claimId" UUID,

    CONSTRAINT "OfferMatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Offer_communityId_kind_expiresAt_idx" ON "Offer"("communityId", "kind", "expiresAt");

-- CreateIndex
CREATE INDEX "Offer_offeredById_idx" ON "Offer"("offeredById");

-- CreateIndex
CREATE INDEX "OfferMatch_offerId_status_idx" ON "OfferMatch"("offerId", "status");

-- CreateIndex
CREATE INDEX "OfferMatch_needId_status_idx" ON "OfferMatch"("needId", "status");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_offeredById_fkey" FOREIGN KEY ("offeredById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferMatch" ADD CONSTRAINT "OfferMatch_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferMatch" ADD CONSTRAINT "OfferMatch_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferMatch" ADD CONSTRAINT "OfferMatch_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
