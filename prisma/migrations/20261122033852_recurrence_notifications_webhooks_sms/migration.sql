-- CreateEnum
CREATE TYPE "RecurrenceFrequency" AS ENUM ('DAILY', 'WEEKLY', 'DATES');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('NEW_CRITICAL_NEED', 'CLAIM_EXPIRING', 'HANDOVER_REQUESTED', 'NEED_COMPLETED', 'ASKED_TO_HELP');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "DraftStatus" AS ENUM ('PENDING', 'CONFIRMED', 'REJECTED');

-- AlterTable
ALTER TABLE "Claim" ADD COLUMN     "expiryWarnedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "smsNumber" TEXT;

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "occurrenceAt" TIMESTAMP(3),
ADD COLUMN     "onBoard" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "seriesId" UUID;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mutedKinds" "NotificationKind"[],
ADD COLUMN     "notifyEmail" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notifyInApp" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "quietFromHour" INTEGER,
ADD COLUMN     "quietToHour" INTEGER;

-- CreateTable
CREATE TABLE "NeedSeries" (
    "id" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "frequency" "RecurrenceFrequency" NOT NULL,
    "interval" INTEGER NOT NULL DEFAULT 1,
    "weekdays" INTEGER[],
    "dates" TIMESTAMP(3)[],
    "startsAt" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3),
    "count" INTEGER,
    "durationMinutes" INTEGER NOT NULL,
    "slotsPerOccurrence" INTEGER NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NeedSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "needId" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" UUID NOT NULL,
    "notificationId" UUID NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'EMAIL',
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "communityId" UUID,
    "eventTypes" "NeedEventType"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "eventSeq" BIGINT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "responseStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxCursor" (
    "name" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "OutboxCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "IntakeDraft" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'SMS',
    "providerMessageId" TEXT NOT NULL,
    "fromNumber" TEXT NOT NULL,
    "toNumber" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "communityId" UUID,
    "status" "DraftStatus" NOT NULL DEFAULT 'PENDING',
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "needId" UUID,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "IntakeDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_eventSeq_key" ON "WebhookDelivery"("webhookId", "eventSeq");

-- CreateIndex
CREATE UNIQUE INDEX "IntakeDraft_providerMessageId_key" ON "IntakeDraft"("providerMessageId");

-- CreateIndex
CREATE INDEX "IntakeDraft_status_receivedAt_idx" ON "IntakeDraft"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "IntakeDraft_fromNumber_receivedAt_idx" ON "IntakeDraft"("fromNumber", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Community_smsNumber_key" ON "Community"("smsNumber");

-- CreateIndex
CREATE INDEX "Need_seriesId_occurrenceAt_idx" ON "Need"("seriesId", "occurrenceAt");

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "NeedSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
