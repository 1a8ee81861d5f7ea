// A small world (admin, communities, coordinators, volunteers) built through the API of a
// server in another process: the first admin is made with SQL on the database it uses,
// since that server's services are not in this process (fixtures.ts's adminClient takes an in-process app's).
import pg from 'pg';
import { Api } from './client.ts';
import { createCommunity, member } from './fixtures.ts';

export const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
export const globalIdOf = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');

let counter = 0;

export async function adminVia(url: string, databaseUrl: string): Promise<Api> {
  const api = new Api(url);
  const email = `admin-${process.pid}-${Date.now().toString(36)}-${++counter}@example.org`;
  const id = await api.signUp(email, 'Admin');
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`UPDATE "User" SET "globalRole" = 'ADMIN' WHERE id = $1`, [uuidOf(id)]);
  } finally {
    await c.end();
  }
  await api.signIn(email, 'correct horse battery');
  return api;
}

export type World = {
  admin: Api;
  community: string;
  coordinator: Api & { userId: string };
  volunteers: (Api & { userId: string })[];
};

export async function buildWorld(url: string, databaseUrl: string, volunteers = 4): Promise<World> {
  const admin = await adminVia(url, databaseUrl);
  const community = await createCommunity(admin);
  const coordinator = await member(url, admin, community, 'COORDINATOR');
  const list = [];
  for (let i = 0; i < volunteers; i++) list.push(await member(url, admin, community, 'VOLUNTEER', `volunteer${i}`));
  return { admin, community, coordinator, volunteers: list };
}

/** The same signed-in user, talking to another server (after a restart on a new port). */
export function rebase<T extends Api>(api: T, url: string): T {
  const moved = Object.assign(new Api(url), api, { url });
  return moved as T;
}
