// Machinery of the non-interference property (security/non-interference.test.ts): operations
// generated from the printed schema with every field a viewer could ask for, responses in a
// canonical form, and the private columns written straight into the database.
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { PrismaClient } from '../../api/src/generated/prisma/client.ts';

export const schema: GraphQLSchema = buildSchema(readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'));

/** Wrappers of a list (connections, their edges, page info): they do not count as a level. */
const isWrapper = (t: GraphQLNamedType) => /(Connection|ConnectionEdge|DeliveriesConnectionEdge)$/.test(t.name) || t.name === 'PageInfo';

/**
 * Every field of `type` a client could select without naming an argument, objects followed
 * `depth` levels down (a connection and its edges are not a level), leaves always. A field
 * added to the schema is in the selection the day it is added.
 */
export function selectionOf(type: GraphQLNamedType, depth: number, omit: readonly string[] = []): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    return `{ __typename ${schema
      .getPossibleTypes(type)
      .map((t) => `... on ${t.name} ${selectionOf(t, depth, omit)}`)
      .join(' ')} }`;
  }
  const parts = ['__typename'];
  for (const f of Object.values((type as GraphQLObjectType).getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (omit.includes(`${type.name}.${f.name}`)) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (isWrapper(inner)) parts.push(`${f.name} ${selectionOf(inner, depth, omit)}`);
    else if (depth > 0) parts.push(`${f.name} ${selectionOf(inner, depth - 1, omit)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** The operation for one root field with these arguments (as variables, typed from the schema); `omit`: `Type.field`s left out. */
export function operationOf(kind: 'query' | 'subscription', field: string, args: Record<string, unknown>, depth: number, omit: readonly string[] = []): string {
  const root = kind === 'query' ? schema.getQueryType()! : schema.getSubscriptionType()!;
  const f: GraphQLField<unknown, unknown> | undefined = root.getFields()[field];
  if (!f) throw new Error(`${kind} field ${field} is not in the schema`);
  const given = f.args.filter((a) => a.name in args);
  const defs = given.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const uses = given.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${defs ? `(${defs})` : ''} { ${field}${uses ? `(${uses})` : ''} ${selectionOf(getNamedType(f.type), depth, omit)} }`;
}

/**
 * The `Type.field`s an error path ends at: the path walked through the schema (list indexes,
 * or canonical's `*` for them, skipped; `aliases` names the root field an alias stands for). Below an interface, every
 * implementation with a field of that name, or only `concrete`.
 */
export function fieldsAt(kind: 'query' | 'subscription', path: readonly (string | number)[], aliases: Record<string, string> = {}, concrete?: string): string[] {
  let types: GraphQLNamedType[] = [(kind === 'query' ? schema.getQueryType() : schema.getSubscriptionType())!];
  let out: string[] = [];
  path.forEach((seg, i) => {
    if (typeof seg === 'number' || seg === '*') return;
    const name = i === 0 ? (aliases[seg] ?? seg) : seg;
    const next: GraphQLNamedType[] = [];
    out = [];
    for (const t of types) {
      for (const c of isAbstractType(t) ? schema.getPossibleTypes(t).filter((p) => !concrete || p.name === concrete) : [t as GraphQLObjectType]) {
        const f = c.getFields()[name];
        if (!f) continue;
        out.push(`${c.name}.${name}`);
        next.push(getNamedType(f.type));
      }
    }
    types = next;
  });
  return out;
}

/** The names of the root fields of a kind, as the printed schema has them. */
export const rootFields = (kind: 'query' | 'subscription') => Object.keys((kind === 'query' ? schema.getQueryType() : schema.getSubscriptionType())!.getFields()).sort();

/**
 * A response in canonical form. The one thing normalised: which of several alike errors are
 * reported, and in what order. graphql-js appends an error when a resolver rejects, so two
 * failing fields resolved concurrently (each awaiting its own query) may come back in either
 * order; and when a refused non-null field takes the whole answer down, only the errors raised
 * before that are reported, which on PostgreSQL (a pool of connections) may be the refusal of
 * the first list item or of the third. So the list indexes in error paths become `*`, alike
 * errors are reported once, in sorted order. Which fields are refused, with what code and
 * message, is compared exactly, and the data is compared as sent (keys come in the order of the
 * selection, so re-serialising the parsed body is the body).
 */
export function canonical(body: string): string {
  let parsed: { errors?: { path?: (string | number)[] }[] } & Record<string, unknown>;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (Array.isArray(parsed.errors)) {
    const alike = parsed.errors.map((e) => JSON.stringify({ ...e, path: e.path?.map((p) => (typeof p === 'number' ? '*' : p)) }));
    parsed.errors = [...new Set(alike)].sort().map((e) => JSON.parse(e));
  }
  return JSON.stringify(parsed);
}

/** Every global id in a response: the `id` of anything, and `needId`. */
export function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) idsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'id' || k === 'needId') && typeof v === 'string' && /^[A-Za-z0-9+/]+=*$/.test(v) && Buffer.from(v, 'base64').toString().includes(':')) into.add(v);
      else idsIn(v, into);
    }
  }
  return into;
}

// ─── Private values, written as the database holds them ──────────────────────────────────────

export type NeedSecrets = { lat: number; lng: number; address: string; requesterName: string; requesterPhone: string | null; requesterEmail: string | null };
export type HomeSecrets = { homeLat: number | null; homeLng: number | null; homeArea: string | null; phone: string | null };

/**
 * Only the private columns, with SQL: a Prisma `update` would also move `updatedAt` (set by
 * the client), which is public. Nothing else of the row changes.
 */
export async function writeNeedSecrets(prisma: PrismaClient, needId: string, v: NeedSecrets): Promise<void> {
  await prisma.$executeRaw`UPDATE "Need" SET lat = ${v.lat}, lng = ${v.lng}, address = ${v.address}, "requesterName" = ${v.requesterName},
    "requesterPhone" = ${v.requesterPhone}, "requesterEmail" = ${v.requesterEmail} WHERE id = ${needId}::uuid`;
}

export async function writeHomeSecrets(prisma: PrismaClient, userId: string, v: HomeSecrets): Promise<void> {
  await prisma.$executeRaw`UPDATE "User" SET "homeLat" = ${v.homeLat}, "homeLng" = ${v.homeLng}, "homeArea" = ${v.homeArea}, phone = ${v.phone} WHERE id = ${userId}::uuid`;
}

export async function readNeedSecrets(prisma: PrismaClient, needId: string): Promise<NeedSecrets> {
  const n = await prisma.need.findUniqueOrThrow({ where: { id: needId } });
  return { lat: n.lat, lng: n.lng, address: n.address, requesterName: n.requesterName, requesterPhone: n.requesterPhone, requesterEmail: n.requesterEmail };
}

export async function readHomeSecrets(prisma: PrismaClient, userId: string): Promise<HomeSecrets> {
  const u = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  return { homeLat: u.homeLat, homeLng: u.homeLng, homeArea: u.homeArea, phone: u.phone };
}
