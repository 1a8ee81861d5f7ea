-- Drafts recorded before these keys existed may name a community or need that is not there:
-- they keep the text and lose the dangling link, as the keys' ON DELETE SET NULL would.
UPDATE "IntakeDraft" d SET "communityId" = NULL
WHERE d."communityId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Community" c WHERE c."id" = d."communityId");
UPDATE "IntakeDraft" d SET "needId" = NULL
WHERE d."needId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Need" n WHERE n."id" = d."needId");

-- AddForeignKey
ALTER TABLE "IntakeDraft" ADD CONSTRAINT "IntakeDraft_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeDraft" ADD CONSTRAINT "IntakeDraft_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE SET NULL ON UPDATE CASCADE;
