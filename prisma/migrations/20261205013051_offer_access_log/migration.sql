-- CreateTable
CREATE TABLE "OfferAccessLog" (
    "id" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfferAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OfferAccessLog_offerId_at_idx" ON "OfferAccessLog"("offerId", "at");

-- CreateIndex
CREATE INDEX "OfferAccessLog_userId_at_idx" ON "OfferAccessLog"("userId", "at");

-- AddForeignKey
ALTER TABLE "OfferAccessLog" ADD CONSTRAINT "OfferAccessLog_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferAccessLog" ADD CONSTRAINT "OfferAccessLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
