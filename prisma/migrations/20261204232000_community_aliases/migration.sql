-- Other names of a community's place, for the offline geocoder.
ALTER TABLE "Community" ADD COLUMN "aliases" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
