import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id at OWASP\'s baseline (19 MiB, 2 passes, 1 lane), salted', async () => {
    const [a, b] = await Promise.all([hashPassword('demo-password'), hashPassword('demo-password')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(b).not.toBe(a);
    expect(await verifyPassword(a, 'demo-password')).toBe(true);
    expect(await verifyPassword(b, 'demo-password')).toBe(true);
    expect(await verifyPassword(a, 'demo-passwore')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
  });

  it.each([
    ['an imported account without a password', '!imported'],
    ['an empty hash', ''],
    ['a hash cut short', '$argon2id$v=19$m=19456,t=2,p=1$'],
  ])('never verifies %s, and does not throw', async (_label, stored) => {
    expect(await verifyPassword(stored, 'demo-password')).toBe(false);
  });

  it('keeps one dummy hash for unknown e-mails', async () => {
    expect(dummyPasswordHash()).toBe(dummyPasswordHash());
    expect(await verifyPassword(await dummyPasswordHash(), 'not-a-real-password')).toBe(true);
  });
});
