import { describe, expect, it } from 'vitest';
import { builder } from './builder.ts';
import { onlyPublic } from './publicScopes.ts';
import type { Context } from '../context.ts';

describe('scope checks that cannot fail', () => {
  it('are exactly { public: true }', () => {
    expect(onlyPublic({ public: true })).toBe(true);
    expect(onlyPublic({ public: false })).toBe(false);
    expect(onlyPublic({ public: true, signedIn: true })).toBe(false);
    expect(onlyPublic({ signedIn: true })).toBe(false);
    expect(onlyPublic(() => ({ public: true }))).toBe(false);
    expect(onlyPublic(undefined)).toBe(false);
  });

  it('because the scope `public` is the constant true, whoever asks (what leaving its check out rests on)', () => {
    const loaders = builder.options.scopeAuth!.authScopes as (ctx: Context) => { public: unknown };
    expect(loaders({ viewer: null } as unknown as Context).public).toBe(true);
    expect(loaders({ viewer: { id: 'u1', isAdmin: false } } as unknown as Context).public).toBe(true);
  });
});
