import { describe, expect, it } from 'vitest';
import { invitationEmail, mayAnswerInvitation } from './invitations.ts';

describe('invitations', () => {
  it('are answered by whoever is signed in with the invited address, case aside, and no one else', () => {
    const inv = { email: 'dana@example.org' };
    expect(mayAnswerInvitation('Dana@Example.org', inv)).toBe(true);
    expect(mayAnswerInvitation('admin@example.org', inv)).toBe(false);
    expect(mayAnswerInvitation(null, inv)).toBe(false);
  });

  it('e-mail the invitation in four languages, saying nothing about an account', () => {
    const { subject, text } = invitationEmail('Dana', 'Sderot', 'Miriam');
    expect(subject).toContain('Sderot');
    expect(text).toContain('Sign in with this e-mail address (or sign up with it)');
    expect(text).toMatch(/שלום Dana/);
    expect(text).toMatch(/مرحبًا Dana/);
    expect(text).toMatch(/Здравствуйте, Dana/);
  });
});
