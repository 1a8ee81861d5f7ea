-- Other names of a community's place, for the offline geocoder (a Prisma scalar list: nullable
-- in the database, as db push makes it, with an empty list by default).
ALTER TABLE "Community" ADD COLUMN "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[];
