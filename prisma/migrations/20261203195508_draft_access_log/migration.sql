-- CreateTable
CREATE TABLE "DraftAccessLog" (
    "id" UUID NOT NULL,
    "draftId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DraftAccessLog_draftId_at_idx" ON "DraftAccessLog"("draftId", "at");

-- CreateIndex
CREATE INDEX "DraftAccessLog_userId_at_idx" ON "DraftAccessLog"("userId", "at");

-- AddForeignKey
ALTER TABLE "DraftAccessLog" ADD CONSTRAINT "DraftAccessLog_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "IntakeDraft"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DraftAccessLog" ADD CONSTRAINT "DraftAccessLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
