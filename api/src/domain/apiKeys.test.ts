import { describe, expect, it } from 'vitest';
import type { ApiKeyScope, Viewer } from '../auth/viewer.ts';
import { viewer } from '../auth/viewers.fixture.ts';
import { API_KEY_PREFIX, hashApiKey, keyRefusal, keyRoles, mayCreateApiKey, mayManageApiKey, newApiKeyToken } from './apiKeys.ts';
import { canSeeClaim, canSeeEventReason, canSeeNotification, canSeePersonalDetails, canSeePrivate, communitiesInView } from './privacy.ts';
import { needPermissions } from './permissions.ts';

const scope = (communityIds: string[], allowedMutations: string[] = []): ApiKeyScope => ({
  id: 'k1',
  communityIds: new Set(communityIds),
  allowedMutations: new Set(allowedMutations),
});

/** The viewer a key gives: its creator's roles within its communities (as auth/apiKeys.ts builds it). */
const keyViewer = (creator: Viewer, communityIds: string[], allowed: string[] = []): Viewer => ({
  ...creator,
  isAdmin: false,
  roles: keyRoles(creator, communityIds),
  apiKey: scope(communityIds, allowed),
});

describe('a key’s rights: its scope intersected with its creator’s current roles', () => {
  it.each<[string, Viewer, string[], [string, string][]]>([
    ['coordinator of a and b, key for a', viewer([['a', 'COORDINATOR'], ['b', 'COORDINATOR']]), ['a'], [['a', 'COORDINATOR']]],
    ['coordinator of a, volunteer of b, key for a and b', viewer([['a', 'COORDINATOR'], ['b', 'VOLUNTEER']]), ['a', 'b'], [['a', 'COORDINATOR'], ['b', 'VOLUNTEER']]],
    ['the role taken away since: nothing left', viewer([]), ['a'], []],
    ['an admin: coordinator of the key’s communities only', viewer([], true), ['a'], [['a', 'COORDINATOR']]],
  ])('%s', (_name, creator, communityIds, roles) => {
    expect([...keyRoles(creator, communityIds)]).toEqual(roles);
  });

  it('an admin’s key is no admin: no dashboard, private details or drafts beyond its communities', () => {
    const key = keyViewer(viewer([], true), ['a']);
    expect(key.isAdmin).toBe(false);
    expect(communitiesInView(key, undefined)).toEqual(['a']);
    expect(() => communitiesInView(key, ['b'])).toThrow(/FORBIDDEN|not allowed/);
  });
});

describe('privacy with a key', () => {
  const creator = viewer([['a', 'COORDINATOR'], ['b', 'COORDINATOR']], false, 'u');
  const key = keyViewer(creator, ['a']);
  it('private details within its communities only, its creator’s own claims elsewhere included', () => {
    expect(canSeePrivate(key, { id: 'n1', communityId: 'a' }, new Set())).toBe(true);
    expect(canSeePrivate(key, { id: 'n2', communityId: 'b' }, new Set(['n2']))).toBe(false);
    expect(canSeePrivate(creator, { id: 'n2', communityId: 'b' }, new Set())).toBe(true);
    expect(needPermissions(key, { communityId: 'b', status: 'CLAIMED', slots: 1, activeClaims: 1, mergedIntoId: null }, { status: 'ACTIVE' }).seePrivate).toBe(false);
  });
  it('claims and event reasons outside its communities: no; within: as its creator', () => {
    expect(canSeeClaim(key, { volunteerId: 'u' }, 'b')).toBe(false);
    expect(canSeeClaim(key, { volunteerId: 'u' }, null)).toBe(false);
    expect(canSeeClaim(key, { volunteerId: 'x' }, 'a')).toBe(true);
    expect(canSeeEventReason(key, { communityId: 'b', actorId: 'u' }, null)).toBe(false);
    expect(canSeeEventReason(key, { communityId: 'a', actorId: 'x' }, null)).toBe(true);
  });
  it('never a person’s own details or notifications', () => {
    expect(canSeePersonalDetails(key, { id: 'u' })).toBe(false);
    expect(canSeeNotification(key, { userId: 'u' })).toBe(false);
    expect(canSeePersonalDetails(creator, { id: 'u' })).toBe(true);
  });
});

describe('what a key may run', () => {
  it('queries and subscriptions always (their fields decide); a read-only key no mutation', () => {
    expect(keyRefusal(scope(['a']), 'query', ['needs'])).toBeNull();
    expect(keyRefusal(scope(['a']), 'subscription', ['needChanged'])).toBeNull();
    expect(keyRefusal(scope(['a']), 'mutation', ['createNeed'])).toMatch(/read-only/);
  });
  it('named mutations only, each root field listed; never keys, accounts or sessions; no fragments', () => {
    const s = scope(['a'], ['createNeed', 'createApiKey']);
    expect(keyRefusal(s, 'mutation', ['createNeed', '__typename'])).toBeNull();
    expect(keyRefusal(s, 'mutation', ['createNeed', 'cancelNeed'])).toMatch(/cancelNeed/);
    expect(keyRefusal(s, 'mutation', ['createApiKey'])).toMatch(/createApiKey/);
    expect(keyRefusal(s, 'mutation', null)).toMatch(/fragment/);
  });
});

describe('who manages keys', () => {
  const coordA = viewer([['a', 'COORDINATOR']], false, 'ca');
  it.each<[string, Viewer | null, string[], boolean]>([
    ['anonymous', null, ['a'], false],
    ['a coordinator of every community asked for', coordA, ['a'], true],
    ['a coordinator, one community not theirs', coordA, ['a', 'b'], false],
    ['a volunteer', viewer([['a', 'VOLUNTEER']]), ['a'], false],
    ['an admin, any community', viewer([], true), ['a', 'b'], true],
    ['no community', coordA, [], false],
    ['a key, even its creator’s', keyViewer(coordA, ['a']), ['a'], false],
  ])('create: %s', (_n, v, communities, allowed) => expect(mayCreateApiKey(v, communities)).toBe(allowed));

  it.each<[string, Viewer | null, boolean]>([
    ['its creator (whatever their roles now)', viewer([], false, 'creator'), true],
    ['a coordinator of one of its communities', viewer([['b', 'COORDINATOR']]), true],
    ['a coordinator elsewhere', viewer([['c', 'COORDINATOR']]), false],
    ['a volunteer of its community', viewer([['a', 'VOLUNTEER']]), false],
    ['an admin', viewer([], true), true],
    ['a key', keyViewer(viewer([], true), ['a']), false],
  ])('list and revoke: %s', (_n, v, allowed) => expect(mayManageApiKey(v, { createdById: 'creator', communityIds: ['a', 'b'] })).toBe(allowed));
});

it('tokens: recognisable prefix, 256 random bits, stored as their SHA-256', () => {
  const token = newApiKeyToken();
  expect(token.startsWith(API_KEY_PREFIX)).toBe(true);
  expect(Buffer.from(token.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
  expect(hashApiKey(token)).toMatch(/^[0-9a-f]{64}$/);
  expect(newApiKeyToken()).not.toBe(token);
});
