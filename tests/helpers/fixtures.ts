// A small world built through the public API: an admin, a community or two, coordinators
// and volunteers, each with their own signed-in client.
import type { PrismaClient } from '../../api/src/generated/prisma/client.ts';
import { Api } from './client.ts';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** A signed-in admin on the server at `url`, whose database `prisma` reaches. */
export async function adminClient(url: string, prisma: PrismaClient): Promise<Api> {
  const api = new Api(url);
  const email = `${unique('admin')}@example.org`;
  const id = await api.signUp(email, 'Admin');
  // Bootstrapping the first admin is an operator's act, not an API call.
  await prisma.user.update({ where: { id: Buffer.from(id, 'base64').toString().split(':')[1] }, data: { globalRole: 'ADMIN' } });
  await api.signIn(email, 'correct horse battery');
  return api;
}

export async function createCommunity(admin: Api, name = unique('community'), center = { lat: 31.525, lng: 34.5969 }, kind = 'TOWN'): Promise<string> {
  const d = await admin.ok(
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`,
    { input: { slug: name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 60), name, kind, area: 'Sderot', centerLat: center.lat, centerLng: center.lng } },
  );
  return d.createCommunity.id;
}

/** An operations centre covering `covers` (as an admin sets it). */
export async function createCentre(admin: Api, covers: string[], name = unique('centre')): Promise<string> {
  const id = await createCommunity(admin, name, undefined, 'OPERATIONS_CENTER');
  await admin.ok(`mutation($c: ID!, $ids: [ID!]!) { setCentreCoverage(centreId: $c, communityIds: $ids) { id } }`, { c: id, ids: covers });
  return id;
}

export async function member(url: string, admin: Api, communityId: string, role: 'VOLUNTEER' | 'COORDINATOR' | 'HOTLINE_OPERATOR', label = role.toLowerCase()): Promise<Api & { userId: string }> {
  const api = new Api(url) as Api & { userId: string };
  api.userId = await api.signUp(`${unique(label)}@example.org`, label);
  await admin.ok(
    `mutation($c: ID!, $u: ID!, $r: MembershipRole!) { setMembershipRole(communityId: $c, userId: $u, role: $r) { role } }`,
    { c: communityId, u: api.userId, r: role },
  );
  return api;
}

export const NEED_FIELDS = `id title status slots openSlots urgency category publicLat publicLng`;

export async function createNeed(coordinator: Api, communityId: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const d = await coordinator.ok(
    `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { ${NEED_FIELDS} } } }`,
    {
      input: {
        communityId,
        title: 'Groceries for a family of five',
        category: 'FOOD',
        urgency: 'HIGH',
        lat: 31.5251,
        lng: 34.5972,
        address: '12 Herzl St, Sderot',
        requesterName: 'Miriam Cohen',
        requesterPhone: '+972-50-123-4567',
        ...overrides,
      },
    },
  );
  return d.createNeed.need;
}
