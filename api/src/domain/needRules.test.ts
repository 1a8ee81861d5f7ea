import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { emailRule, needFieldRules, phoneRule, windowRule } from './needRules.ts';

/** The rule's verdict: the parsed value, or its first message. */
function verdict(rule: z.ZodType, value: unknown): { ok: unknown } | { error: string } {
  const r = rule.safeParse(value);
  return r.success ? { ok: r.data } : { error: r.error.issues[0]!.message };
}

describe('phoneRule', () => {
  it.each([
    ['050-123-4567', '050-123-4567'],
    ['+972 50 123 4567', '+972 50 123 4567'],
    ['(03) 555-1234', '(03) 555-1234'],
    ['  0501234567  ', '0501234567'],
    ['123456', '123456'],
  ])('accepts %j as %j', (input, parsed) => {
    expect(verdict(phoneRule, input)).toEqual({ ok: parsed });
  });

  it.each(['12345', '050.123.4567', 'call me', '+972 50 123 4567 ext 2', '050-1234-5678-9012-3456', '++972501234567'])('refuses %j', (input) => {
    expect(verdict(phoneRule, input)).toEqual({ error: 'Enter a valid phone number.' });
  });
});

describe('emailRule', () => {
  it('accepts an address', () => {
    expect(verdict(emailRule, 'miriam@example.org')).toEqual({ ok: 'miriam@example.org' });
  });
  it.each(['miriam', 'miriam@', '@example.org', 'a b@example.org'])('refuses %j', (input) => {
    expect(verdict(emailRule, input)).toEqual({ error: 'Enter a valid e-mail address.' });
  });
  // 64 + '@' + three labels and '.org': 254 characters at most.
  const address = (lastLabel: number) => `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(lastLabel)}.org`;
  it('accepts 254 characters', () => {
    expect(address(61)).toHaveLength(254);
    expect(verdict(emailRule, address(61))).toEqual({ ok: address(61) });
  });
  it('refuses 255 characters, with the same message', () => {
    expect(address(62)).toHaveLength(255);
    expect(verdict(emailRule, address(62))).toEqual({ error: 'Enter a valid e-mail address.' });
  });
});

describe('needFieldRules', () => {
  it.each([
    ['title', '  Groceries  ', { ok: 'Groceries' }],
    ['title', '   ', { error: 'Title is required.' }],
    ['title', 'x'.repeat(120), { ok: 'x'.repeat(120) }],
    ['title', 'x'.repeat(121), { error: 'Title must be at most 120 characters.' }],
    ['description', '', { ok: '' }],
    ['description', 'x'.repeat(4_001), { error: 'Description must be at most 4000 characters.' }],
    ['slots', 1, { ok: 1 }],
    ['slots', 500, { ok: 500 }],
    ['slots', 0, { error: 'At least one volunteer is needed.' }],
    ['slots', 501, { error: 'At most 500 volunteers per need.' }],
    ['slots', 1.5, { error: 'Invalid input: expected int, received number' }],
    ['lat', -90, { ok: -90 }],
    ['lat', 90.0001, { error: 'Latitude must be between -90 and 90.' }],
    ['lat', -90.0001, { error: 'Latitude must be between -90 and 90.' }],
    ['lng', 180, { ok: 180 }],
    ['lng', -180.5, { error: 'Longitude must be between -180 and 180.' }],
    ['address', '', { error: 'Address is required.' }],
    ['address', 'x'.repeat(301), { error: 'Address must be at most 300 characters.' }],
    ['requesterName', ' Tamar ', { ok: 'Tamar' }],
    ['requesterName', '', { error: 'Requester name is required.' }],
  ] as const)('%s: %j → %j', (field, value, expected) => {
    expect(verdict(needFieldRules[field], value)).toEqual(expected);
  });
});

describe('windowRule', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 10, 1, h));
  it.each([
    [{}, true],
    [{ neededFrom: at(8) }, true],
    [{ neededBy: at(8) }, true],
    [{ neededFrom: null, neededBy: at(8) }, true],
    [{ neededFrom: at(8), neededBy: at(9) }, true],
    [{ neededFrom: at(8), neededBy: at(8) }, false],
    [{ neededFrom: at(9), neededBy: at(8) }, false],
  ])('%j → %s', (window, ok) => {
    expect(windowRule(window)).toBe(ok);
  });
});
