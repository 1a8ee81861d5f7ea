// Trust and safety, members: the volunteer import never enrols an existing account nor says
// whether an e-mail address has one (it invites, the same way for everyone), and a member's
// contact details reach the coordinators of their community (each read logged) and no one else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { uuidOf } from '../helpers/world.ts';
import { startSmtpSink } from '../helpers/sinks.ts';
import { sendInvitationEmails } from '../../api/src/domain/invitations.ts';

let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let admin: Api;
let A: string;
let B: string;
let coordinatorA: Api & { userId: string };
let coordinatorB: Api & { userId: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  s = await startServer({ SMTP_URL: smtp.url });
  admin = await adminClient(s.url, s.app.services.prisma);
  [A, B] = [await createCommunity(admin), await createCommunity(admin)];
  coordinatorA = await member(s.url, admin, A, 'COORDINATOR', 'coordinator-a');
  coordinatorB = await member(s.url, admin, B, 'COORDINATOR', 'coordinator-b');
});
afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
});

const importVolunteers = async (api: Api, community: string, csv: string) => {
  const res = await fetch(`${s.url}/api/import/volunteers?communityId=${encodeURIComponent(community)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${api.token}` },
    body: csv,
  });
  expect(res.status).toBe(200);
  return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
};

describe('the volunteer import', () => {
  it('enrols no existing account, names none, and answers an existing e-mail as it answers a new one', async () => {
    const adminEmail = (await admin.ok(`{ me { email } }`)).me.email as string;
    const existing = new Api(s.url);
    const existingId = await existing.signUp(`existing-${Date.now()}@example.org`, 'Existing Person');
    const existingEmail = (await existing.ok(`{ me { email } }`)).me.email as string;
    const fresh = `fresh-${Date.now()}@example.org`;

    const rows = await importVolunteers(coordinatorB, B, `email,name\n${adminEmail},The Admin\n${existingEmail},Existing Person\n${fresh},Fresh Person\n`);
    const [adminRow, existingRow, freshRow, summary] = rows;
    // The same answer for each, without ids or a duplicate count: nothing tells who has an account.
    const shape = (r: Record<string, unknown>) => ({ ...r, line: 0 });
    expect(shape(adminRow)).toEqual({ line: 0, status: 'INVITED' });
    expect(shape(existingRow)).toEqual(shape(freshRow));
    expect(shape(adminRow)).toEqual(shape(freshRow));
    expect(JSON.stringify(rows)).not.toContain(existingId);
    expect(summary).toMatchObject({ rows: 3, invited: 3, accepted: 0, rejected: 0, flaggedDuplicates: 0 });

    // Nobody was enrolled: the admin and the existing person are not members of B.
    const prisma = s.app.services.prisma;
    const bMembers = await prisma.membership.findMany({ where: { communityId: uuidOf(B) }, select: { userId: true } });
    expect(bMembers.map((m) => m.userId)).toEqual([uuidOf(coordinatorB.userId)]);
    // No account was made for the new address either: the person signs up with it themself.
    expect(await prisma.user.findUnique({ where: { email: fresh } })).toBeNull();
    expect(await prisma.invitation.count({ where: { communityId: uuidOf(B) } })).toBe(3);

    // Each address gets the same invitation e-mail, whether or not it has an account; once.
    expect(await sendInvitationEmails(s.app.services)).toEqual({ sent: 3, failed: 0 });
    const subjects = [adminEmail, existingEmail, fresh].map((to) => smtp.mails.filter((m) => m.to.includes(to)).map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]));
    expect(subjects.map((l) => l.length)).toEqual([1, 1, 1]);
    expect(new Set(subjects.flat()).size).toBe(1);
    expect(await sendInvitationEmails(s.app.services)).toEqual({ sent: 0, failed: 0 });
    // Importing the same file again invites no one twice.
    await importVolunteers(coordinatorB, B, `email,name\n${fresh},Fresh Person\n`);
    expect(await prisma.invitation.count({ where: { communityId: uuidOf(B) } })).toBe(3);
  });

  it('the invited person sees the invitation when signed in, and only they can accept it', async () => {
    const email = `invitee-${Date.now()}@example.org`;
    await importVolunteers(coordinatorA, A, `email,name\n${email},Invited Person\n`);
    const invitee = new Api(s.url);
    await invitee.signUp(email, 'Invited Person');
    const { me } = await invitee.ok(`{ me { invitations { id community { id } } memberships { status } } }`);
    expect(me.invitations).toEqual([{ id: expect.any(String), community: { id: A } }]);
    expect(me.memberships).toEqual([]);
    const id = me.invitations[0].id;

    // Nobody else sees or answers it: not the coordinator who sent it, not an admin.
    for (const other of [coordinatorA, admin]) {
      const r = await other.gql(`mutation($id: ID!) { acceptInvitation(invitationId: $id) { id } }`, { id });
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const n = await other.gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(n.data?.node ?? null).toBeNull();
    }

    const accepted = await invitee.ok(`mutation($id: ID!) { acceptInvitation(invitationId: $id) { acceptedAt community { id viewerMembership { status } } } }`, { id });
    expect(accepted.acceptInvitation).toMatchObject({ acceptedAt: expect.any(String), community: { id: A, viewerMembership: { status: 'ACTIVE' } } });
    expect((await invitee.ok(`query($id: ID!) { node(id: $id) { ... on Community { viewerRole } } }`, { id: A })).node.viewerRole).toBe('VOLUNTEER');
    expect((await invitee.ok(`{ me { invitations { id } } }`)).me.invitations).toEqual([]);
    const again = await invitee.gql(`mutation($id: ID!) { declineInvitation(invitationId: $id) { id } }`, { id });
    expect(again.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('a declined invitation enrols nobody', async () => {
    const email = `decliner-${Date.now()}@example.org`;
    await importVolunteers(coordinatorA, A, `email,name\n${email},Decliner\n`);
    const person = new Api(s.url);
    await person.signUp(email, 'Decliner');
    const id = (await person.ok(`{ me { invitations { id } } }`)).me.invitations[0].id;
    expect((await person.ok(`mutation($id: ID!) { declineInvitation(invitationId: $id) { declinedAt } }`, { id })).declineInvitation.declinedAt).toBeTruthy();
    expect((await person.ok(`{ me { memberships { status } invitations { id } } }`)).me).toEqual({ memberships: [], invitations: [] });
  });
});

describe("a member's contact details", () => {
  const CONTACT = `query($c: ID!, $u: ID!) { memberContact(communityId: $c, userId: $u) { email phone } }`;
  let volunteer: Api & { userId: string };

  beforeAll(async () => {
    volunteer = await member(s.url, admin, A, 'VOLUNTEER', 'callable');
    await volunteer.ok(`mutation { updateProfile(input: { phone: "+972-50-765-4321" }) { id } }`);
  });

  const logged = () => s.app.services.prisma.contactAccessLog.findMany({ where: { subjectId: uuidOf(volunteer.userId) } });

  it("reach a coordinator of the member's community, and the read is logged", async () => {
    const before = (await logged()).length;
    const d = await coordinatorA.ok(CONTACT, { c: A, u: volunteer.userId });
    expect(d.memberContact).toEqual({ email: expect.stringMatching(/@example\.org$/), phone: '+972-50-765-4321' });
    const after = await logged();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ readerId: uuidOf(coordinatorA.userId), communityId: uuidOf(A) });
  });

  it('are FORBIDDEN to a coordinator of another community, a volunteer, and anonymous, and nothing is logged', async () => {
    const before = (await logged()).length;
    const otherVolunteer = await member(s.url, admin, A, 'VOLUNTEER', 'nosy');
    const askers: [string, Api, string][] = [
      ['coordinator of B, through A', coordinatorB, A],
      ['coordinator of B, through B', coordinatorB, B],
      ['a volunteer of A', otherVolunteer, A],
      ['anonymous', new Api(s.url), A],
    ];
    for (const [who, api, community] of askers) {
      const r = await api.gql(CONTACT, { c: community, u: volunteer.userId });
      expect([who, r.data?.memberContact ?? null]).toEqual([who, null]);
      expect([who, r.errors?.[0]?.extensions?.code]).toEqual([who, expect.stringMatching(/^(FORBIDDEN|UNAUTHENTICATED)$/)]);
      // The User type itself still keeps them to the user and admins.
      const u = await api.gql(`query($id: ID!) { node(id: $id) { ... on User { email phone } } }`, { id: volunteer.userId });
      expect([who, JSON.stringify(u.data ?? {})]).not.toContain('765-4321');
    }
    const anon = await new Api(s.url).gql(CONTACT, { c: A, u: volunteer.userId });
    expect(anon.errors?.[0]?.extensions?.code).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
    expect(await logged()).toHaveLength(before);
  });
});
