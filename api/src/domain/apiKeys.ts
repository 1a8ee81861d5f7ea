// API keys for partner systems: who may create, list and revoke one, and what a key may do.
// A key acts for its creator, as they are now, within its communities only: its rights are the
// intersection of its scope and its creator's current roles (an admin creator counts as a
// coordinator of the key's communities, never as an admin), so taking the creator's role away
// cuts the key. A key with no allowed mutations is read-only; a key never reaches a person's own
// details (e-mail, notifications) nor any private detail outside its communities (privacy.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Services } from '../services.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { ApiKey } from '../generated/prisma/client.ts';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../errors.ts';
import { coordinatedCommunityIds, isCoordinatorOf, type ApiKeyScope, type Viewer } from '../auth/viewer.ts';

/** Every key starts so: recognisable in logs and by secret scanners, and told apart from a session token. */
export const API_KEY_PREFIX = 'mab_';

export const isApiKeyToken = (token: string) => token.startsWith(API_KEY_PREFIX);
/** Keys are found by the SHA-256 of their 256-bit token: a leaked table grants nothing, and a lookup by hash leaks no timing. */
export const hashApiKey = (token: string) => createHash('sha256').update(token).digest('hex');
export const newApiKeyToken = () => API_KEY_PREFIX + randomBytes(32).toString('base64url');

/** Mutations no key may run, whatever it lists: keys, accounts and sessions are a person's business. */
export const NEVER_FOR_KEYS: ReadonlySet<string> = new Set(['createApiKey', 'revokeApiKey', 'signIn', 'signUp', 'signOut', 'updateProfile']);

/** How often, at most, a key's lastUsedAt is written. */
export const LAST_USED_EVERY_MS = 60_000;

type Creator = { isAdmin: boolean; roles: ReadonlyMap<string, MembershipRole> };

/** The key's roles: the creator's current role in each of the key's communities (an admin: coordinator). Pure. */
export function keyRoles(creator: Creator, communityIds: readonly string[]): Map<string, MembershipRole> {
  const roles = new Map<string, MembershipRole>();
  for (const id of communityIds) {
    const role = creator.isAdmin ? 'COORDINATOR' : creator.roles.get(id);
    if (role) roles.set(id, role);
  }
  return roles;
}

/** Whether a key may run an operation of this type with these root fields; the refusal's reason if not. Pure. */
export function keyRefusal(scope: ApiKeyScope, operation: 'query' | 'mutation' | 'subscription', rootFields: readonly string[] | null): string | null {
  if (operation !== 'mutation') return null;
  if (scope.allowedMutations.size === 0) return 'This API key is read-only.';
  // null: the selection is not a plain list of fields (a fragment); a key names what it runs.
  const refused = rootFields === null ? ['(fragment)'] : rootFields.filter((f) => f !== '__typename' && (NEVER_FOR_KEYS.has(f) || !scope.allowedMutations.has(f)));
  return refused.length ? `This API key may not run ${refused.join(', ')}.` : null;
}

/** A person (not a key) may create a key for communities they all coordinate; an admin, for any. Pure. */
export function mayCreateApiKey(viewer: Viewer | null, communityIds: readonly string[]): boolean {
  return !!viewer && !viewer.apiKey && communityIds.length > 0 && communityIds.every((c) => isCoordinatorOf(viewer, c));
}

/** A key is managed (seen in lists, revoked) by its creator, admins, and the coordinators of any of its communities; never by a key. Pure. */
export function mayManageApiKey(viewer: Viewer | null, key: Pick<ApiKey, 'createdById' | 'communityIds'>): boolean {
  if (!viewer || viewer.apiKey) return false;
  return key.createdById === viewer.id || viewer.isAdmin || key.communityIds.some((c) => isCoordinatorOf(viewer, c));
}

/** The keys the viewer manages (`mayManageApiKey` as a where). */
export function apiKeysWhere(viewer: Viewer) {
  if (viewer.apiKey) throw forbidden('list API keys with an API key');
  if (viewer.isAdmin) return {};
  return { OR: [{ createdById: viewer.id }, { communityIds: { hasSome: coordinatedCommunityIds(viewer) } }] };
}

const MUTATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type NewApiKey = { name: string; communityIds: string[]; allowedMutations: string[]; expiresAt: Date | null };

/** Creates a key; its token is returned this once and only its hash is kept. */
export async function createApiKey(s: Services, viewer: Viewer, input: NewApiKey): Promise<{ apiKey: ApiKey; token: string }> {
  const communityIds = [...new Set(input.communityIds)];
  if (!communityIds.length) throw badInput('Choose at least one community.', 'communityIds');
  if (!mayCreateApiKey(viewer, communityIds)) throw forbidden("create an API key for a community you don't coordinate");
  const allowedMutations = [...new Set(input.allowedMutations)];
  const bad = allowedMutations.find((m) => !MUTATION_NAME.test(m) || NEVER_FOR_KEYS.has(m));
  if (bad !== undefined) throw badInput(`An API key cannot be allowed "${bad}".`, 'allowedMutations');
  if (input.expiresAt && input.expiresAt.getTime() <= s.clock.now().getTime()) throw badInput('The expiry must be in the future.', 'expiresAt');
  const known = await s.prisma.community.count({ where: { id: { in: communityIds } } });
  if (known !== communityIds.length) throw notFound('A community');
  const token = newApiKeyToken();
  const apiKey = await s.prisma.apiKey.create({
    data: {
      tokenHash: hashApiKey(token),
      hint: token.slice(0, API_KEY_PREFIX.length + 4),
      name: input.name,
      createdById: viewer.id,
      communityIds,
      allowedMutations,
      expiresAt: input.expiresAt,
    },
  });
  return { apiKey, token };
}

/** Revokes a key (again: no change). Its next request is refused; its open sockets close at their next event. */
export async function revokeApiKey(s: Services, viewer: Viewer, id: string): Promise<ApiKey> {
  const key = await s.prisma.apiKey.findUnique({ where: { id } });
  if (!key) throw notFound('The API key');
  if (!mayManageApiKey(viewer, key)) throw forbidden('revoke this API key');
  if (key.revokedAt) return key;
  return s.prisma.apiKey.update({ where: { id }, data: { revokedAt: s.clock.now() } });
}

export const keyRefused = (reason: string) => new AppError(ErrorCode.FORBIDDEN, reason);

/**
 * For an API key (else nothing): spends one of its operations (RATE_LIMITED past its quota) and
 * checks it may run this; the refusal, or null. A CSV import counts as the mutation `importCsv`.
 */
export async function keyMayRun(s: Services, viewer: Viewer | null, operation: 'query' | 'mutation' | 'subscription', rootFields: readonly string[] | null): Promise<AppError | null> {
  const key = viewer?.apiKey;
  if (!key) return null;
  try {
    await s.limits.apiKey(key.id);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  const reason = keyRefusal(key, operation, rootFields);
  return reason ? keyRefused(reason) : null;
}
