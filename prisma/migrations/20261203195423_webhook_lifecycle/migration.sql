-- CreateEnum
CREATE TYPE "WebhookDeliveryKind" AS ENUM ('EVENT', 'PING');

-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "previousSecret" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "kind" "WebhookDeliveryKind" NOT NULL DEFAULT 'EVENT',
ALTER COLUMN "eventSeq" DROP NOT NULL;
