// Row locks taken at the start of a unit of work: every race-free rule about a need (or a
// volunteer's load) is checked under them.
import { notFound } from '../errors.ts';
import type { Tx } from '../events/outbox.ts';
import type { Need } from '../generated/prisma/client.ts';

/** Locks the need's row for the rest of the transaction and reads it; the basis of every race-free rule. One statement. */
export async function lockNeed(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.$queryRaw<Need[]>`SELECT * FROM "Need" WHERE id = ${needId}::uuid FOR UPDATE`;
  if (!need) throw notFound('Need');
  return need;
}

/** Locks the volunteer's row: their claim count is checked under it. */
export async function lockUser(tx: Tx, userId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Volunteer');
}

/** Locks an offer match's row: its acceptances and its status are decided under it. */
export async function lockOfferMatch(tx: Tx, matchId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "OfferMatch" WHERE id = ${matchId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Offer match');
}

/** Locks an offer's row: proposals for it are checked under it (one live match per need). */
export async function lockOffer(tx: Tx, offerId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Offer" WHERE id = ${offerId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Offer');
  return tx.offer.findUniqueOrThrow({ where: { id: offerId } });
}
