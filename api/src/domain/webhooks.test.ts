import { describe, expect, it, vi } from 'vitest';
import * as crypto from 'node:crypto';
import { SIGNATURE_HEADER, signPayload, signingSecrets, verifySignature } from './webhooks.ts';
import { loadConfig } from '../config.ts';
import { rulesFrom } from './rules.ts';

vi.mock('node:crypto', async (original) => {
  const real = await original<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const SECRET = 'whsec_test';
const BODY = '{"event":{"type":"CLAIMED"}}';
const T = 1_793_527_200; // 2026-11-01T10:00:00Z
// HMAC-SHA256 of "1793527200.{body}" with the secret, computed independently (Python's hmac).
const V1 = '6eae041501a2de89bbe175523dbc447637fbfe83a03346ab465597f07d3555ed';
const at = (secondsFromT: number) => new Date((T + secondsFromT) * 1000);

describe('signPayload', () => {
  it('signs "t.body" as t=<unix seconds>,v1=<hex HMAC-SHA256>', () => {
    expect(signPayload(SECRET, BODY, new Date('2026-11-01T10:00:00.000Z'))).toBe(`t=${T},v1=${V1}`);
  });

  it('drops the milliseconds', () => {
    expect(signPayload(SECRET, BODY, new Date('2026-11-01T10:00:00.999Z'))).toBe(`t=${T},v1=${V1}`);
  });

  it('signs an empty body too', () => {
    expect(signPayload(SECRET, '', at(0))).toBe(`t=${T},v1=fea93dbd4c79936d7a44aa93f94f8837ef62770c2318a8d8d75b91e2c8d649d0`);
  });

  it('goes in its header, with these retries', () => {
    expect(SIGNATURE_HEADER).toBe('x-mutual-aid-signature');
    expect(rulesFrom(loadConfig({})).webhooks).toMatchObject({ maxAttempts: 8, retryBaseMs: 2_000, timeoutMs: 5_000 });
  });
});

describe('verifySignature', () => {
  const header = `t=${T},v1=${V1}`;

  it.each([
    ['at the moment it was signed', SECRET, BODY, header, 0, true],
    ['five minutes later', SECRET, BODY, header, 300, true],
    ['five minutes and a second later', SECRET, BODY, header, 301, false],
    ['five minutes early (clock skew)', SECRET, BODY, header, -300, true],
    ['five minutes and a second early', SECRET, BODY, header, -301, false],
    ['with the parts the other way round', SECRET, BODY, `v1=${V1},t=${T}`, 0, true],
    ['with another secret', 'whsec_other', BODY, header, 0, false],
    ['with a changed body', SECRET, BODY.replace('CLAIMED', 'RELEASED'), header, 0, false],
    ['with a changed time (replayed later under a new t)', SECRET, BODY, `t=${T + 60},v1=${V1}`, 60, false],
    ['with an uppercase signature', SECRET, BODY, `t=${T},v1=${V1.toUpperCase()}`, 0, false],
    ['without v1', SECRET, BODY, `t=${T}`, 0, false],
    ['without t', SECRET, BODY, `v1=${V1}`, 0, false],
    ['with a t that is not a number', SECRET, BODY, `t=soon,v1=${V1}`, 0, false],
    ['with spaces after the comma', SECRET, BODY, `t=${T}, v1=${V1}`, 0, false],
    ['an empty header', SECRET, BODY, '', 0, false],
  ])('%s → %s', (_label, secret, body, h, secondsLater, ok) => {
    expect(verifySignature(secret, body, h, 300, at(secondsLater))).toBe(ok);
  });

  it('takes another tolerance', () => {
    expect(verifySignature(SECRET, BODY, header, 3_600, at(3_600))).toBe(true);
    expect(verifySignature(SECRET, BODY, header, 0, at(1))).toBe(false);
  });

  it('accepts what signPayload signs, and checks against the current time by default', () => {
    const now = new Date();
    expect(verifySignature(SECRET, BODY, signPayload(SECRET, BODY, now))).toBe(true);
    expect(verifySignature(SECRET, BODY, signPayload(SECRET, BODY, new Date(now.getTime() - 3_600_000)))).toBe(false);
  });
});

describe('rotation: two secrets', () => {
  const OLD = 'whsec_old';
  const both = signPayload([SECRET, OLD], BODY, at(0));

  it('signs with each secret, the new one first (Stripe-style, one v1 each)', () => {
    expect(both).toBe(`t=${T},v1=${V1},v1=${signPayload(OLD, BODY, at(0)).split('v1=')[1]}`);
  });

  it.each([
    ['the new secret', SECRET, true],
    ['the old secret', OLD, true],
    ['either of the two a receiver holds', [OLD, 'whsec_other'], true],
    ['another secret', 'whsec_other', false],
  ])('verifies with %s → %s', (_label, secret, ok) => {
    expect(verifySignature(secret, BODY, both, 300, at(0))).toBe(ok);
  });

  it('refuses a header with two times', () => {
    expect(verifySignature(SECRET, BODY, `t=${T},t=${T + 1},v1=${V1}`, 300, at(0))).toBe(false);
  });

  it('signs with the previous secret only during its grace period', () => {
    const w = { secret: SECRET, previousSecret: OLD, previousSecretExpiresAt: at(60) };
    expect(signingSecrets(w, at(0))).toEqual([SECRET, OLD]);
    expect(signingSecrets(w, at(60))).toEqual([SECRET]);
    expect(signingSecrets({ secret: SECRET, previousSecret: null, previousSecretExpiresAt: null }, at(0))).toEqual([SECRET]);
  });
});

describe('verifySignature compares in constant time', () => {
  it('through crypto.timingSafeEqual, for a wrong signature of the right length too', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(verifySignature(SECRET, BODY, `t=${T},v1=${V1}`, 300, at(0))).toBe(true);
    expect(verifySignature(SECRET, BODY, `t=${T},v1=${'0'.repeat(64)}`, 300, at(0))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
