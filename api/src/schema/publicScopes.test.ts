import { describe, expect, it } from 'vitest';
import { onlyPublic } from './publicScopes.ts';

// Pure: the schema's own checks (its `public` scope is the constant true, which leaving the
// check out rests on) are in tests/api/schema.test.ts, which loads the schema.
describe('scope checks that cannot fail', () => {
  it('are exactly { public: true }', () => {
    expect(onlyPublic({ public: true })).toBe(true);
    expect(onlyPublic({ public: false })).toBe(false);
    expect(onlyPublic({ public: true, signedIn: true })).toBe(false);
    expect(onlyPublic({ signedIn: true })).toBe(false);
    expect(onlyPublic(() => ({ public: true }))).toBe(false);
    expect(onlyPublic(undefined)).toBe(false);
  });
});
