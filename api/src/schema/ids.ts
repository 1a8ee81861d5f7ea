// Global ids decode to a type name and a database id; ours are UUIDs, and anything else is
// bad input (said so), never a database error (masked). Validation may see the id before
// or after decoding, so both forms are accepted.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';

const UUID = z.uuid();
const isUuid = (v: unknown) => UUID.safeParse(v).success;

function decodesToUuid(globalId: string): boolean {
  try {
    return isUuid(decodeGlobalID(globalId).id);
  } catch {
    return false;
  }
}

export const uuidId = z.custom<unknown>(
  (v) => (typeof v === 'string' ? decodesToUuid(v) : typeof v === 'object' && v !== null && isUuid((v as { id?: unknown }).id)),
  'Malformed id.',
);
export const uuidIds = (max: number) => z.array(uuidId).max(max, `At most ${max} ids.`);
