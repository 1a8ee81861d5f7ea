-- CreateTable
CREATE TABLE "IntakeMessage" (
    "messageId" TEXT NOT NULL,
    "draftId" UUID NOT NULL,

    CONSTRAINT "IntakeMessage_pkey" PRIMARY KEY ("messageId")
);

-- CreateIndex
CREATE INDEX "IntakeMessage_draftId_idx" ON "IntakeMessage"("draftId");

-- AddForeignKey
ALTER TABLE "IntakeMessage" ADD CONSTRAINT "IntakeMessage_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "IntakeDraft"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every draft's first message id, so that a retry of it is still recognised.
INSERT INTO "IntakeMessage" ("messageId", "draftId") SELECT "providerMessageId", "id" FROM "IntakeDraft" ON CONFLICT DO NOTHING;
