import { describe, expect, it } from 'vitest';
import { viewer } from '../auth/viewers.fixture.ts';
import type { Services } from '../services.ts';
import { rejectDraft, smsSignature, verifySmsSignature } from './intake.ts';

// The provider's published example (Twilio's request-validation docs), for both versions of
// its sample numbers: base64 HMAC-SHA1 of the URL followed by each parameter, sorted by name.
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const call = (caller: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });

describe('smsSignature', () => {
  it.each([
    ['+12349013030', '0/KCTR6DLpKmkAf8muzZqo1nDgQ='],
    ['+14158675310', 'GvWf1cFY/Q7PnoempGyD5oXAezc='],
  ])('signs the provider example with caller %s as %s', (caller, signature) => {
    expect(smsSignature(TOKEN, URL_, call(caller))).toBe(signature);
  });

  it('does not depend on the order the parameters came in', () => {
    const { To, From, Digits, Caller, CallSid } = call('+14158675310');
    expect(smsSignature(TOKEN, URL_, { To, From, Digits, Caller, CallSid })).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('signs a bare URL when there are no parameters', () => {
    expect(smsSignature('secret', 'https://example.org/sms/inbound', {})).toBe('Fq8QZAbnzN0wXQanpN4beo6ARsQ=');
  });
});

describe('verifySmsSignature', () => {
  const params = call('+14158675310');
  const good = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

  it.each([
    ['the right signature', TOKEN, URL_, params, good, true],
    ['another token', '54321', URL_, params, good, false],
    ['another URL (http instead of https)', TOKEN, URL_.replace('https', 'http'), params, good, false],
    ['a changed parameter', TOKEN, URL_, { ...params, Digits: '1235' }, good, false],
    ['an added parameter', TOKEN, URL_, { ...params, Body: 'help' }, good, false],
    ['a signature one character off', TOKEN, URL_, params, `H${good.slice(1)}`, false],
    ['a truncated signature', TOKEN, URL_, params, good.slice(0, -1), false],
    ['no signature', TOKEN, URL_, params, '', false],
  ])('%s → %s', (_label, token, url, p, signature, ok) => {
    expect(verifySmsSignature(token, url, p, signature)).toBe(ok);
  });
});

describe('rejectDraft, refusals before anything is written', () => {
  /** A database that knows one draft and writes nothing: a refusal that reached a write would throw. */
  const withDraft = (draft: { communityId: string | null; status: string } | null) =>
    ({ prisma: { intakeDraft: { findUnique: async () => (draft ? { id: 'd1', ...draft } : null) } } }) as unknown as Services;

  it.each([
    ['a coordinator of another community, a routed draft', viewer([['beeri', 'COORDINATOR']]), 'sderot'],
    ['a volunteer of the community, a routed draft', viewer([['sderot', 'VOLUNTEER']]), 'sderot'],
    ['a volunteer, an unrouted draft', viewer([['sderot', 'VOLUNTEER']]), null],
  ])('refuses %s', async (_label, v, communityId) => {
    await expect(rejectDraft(withDraft({ communityId, status: 'PENDING' }), v, 'd1')).rejects.toMatchObject({
      message: 'You are not allowed to reject this draft.',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('says an unknown draft was not found', async () => {
    await expect(rejectDraft(withDraft(null), viewer([], true), 'd1')).rejects.toMatchObject({ message: 'Draft was not found.', extensions: { code: 'NOT_FOUND' } });
  });
});
