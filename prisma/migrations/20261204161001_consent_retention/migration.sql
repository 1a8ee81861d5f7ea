-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NeedEventType" ADD VALUE 'PRIVATE_DATA_ERASED';
ALTER TYPE "NeedEventType" ADD VALUE 'CALLBACK_REQUESTED';

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'CALLBACK_REQUESTED';

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "contactConsent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "privateErasedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DataJob" (
    "name" TEXT NOT NULL,
    "ranAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataJob_pkey" PRIMARY KEY ("name")
);
