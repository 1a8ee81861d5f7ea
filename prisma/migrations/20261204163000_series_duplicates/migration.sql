-- Shifts of one recurring series are not duplicates of each other: the open pairs between them,
-- recorded before the check knew it, are dismissed (no one decided them: decidedById stays null).
UPDATE "DuplicateCandidate" AS dc
SET "status" = 'DISMISSED', "decidedAt" = now()
FROM "Need" AS a, "Need" AS b
WHERE dc."status" = 'OPEN'
  AND a."id" = dc."needId" AND b."id" = dc."otherNeedId"
  AND a."seriesId" IS NOT NULL AND a."seriesId" = b."seriesId";
