// The communities asked for in one turn of the event loop, read together in one statement. A
// board of 500 needs names each need's community: as a Prisma relation that was one more
// include, and Pothos' mapping of it on every row, 40 % of the board's time (bench:board, the
// web app's query). Most of those 500 share a few communities. Never cached: every read is of
// the community as it is now (a live subscription reads its community again on each event).
import DataLoader from 'dataloader';
import type { Community, PrismaClient } from '../generated/prisma/client.ts';

export type CommunityReader = { read(id: string): Promise<Community> };

export function createCommunityReader(prisma: PrismaClient): CommunityReader {
  const loader = new DataLoader<string, Community>(
    async (ids) => {
      const rows = await prisma.community.findMany({ where: { id: { in: [...new Set(ids)] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      // A need's community is a foreign key: it cannot be missing.
      return ids.map((id) => byId.get(id) ?? new Error(`Community ${id} was not found.`));
    },
    { cache: false },
  );
  return { read: (id) => loader.load(id) };
}
