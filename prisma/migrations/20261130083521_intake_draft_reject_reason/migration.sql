-- AlterTable
ALTER TABLE "IntakeDraft" ADD COLUMN     "rejectReason" TEXT;
