-- An offer's exact place, address and contact are erased RETENTION_DAYS after it expired.
ALTER TABLE "Offer" ADD COLUMN     "privateErasedAt" TIMESTAMP(3);
