import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { claimExpiresAt, rulesFrom } from './rules.ts';

describe('rules from config', () => {
  it('takes the defaults of config.ts when nothing is set', () => {
    expect(rulesFrom(loadConfig({}))).toEqual({
      claims: { ttlMinutes: 240, maxActivePerVolunteer: 5 },
      sessions: { ttlHours: 720 },
      handover: { autoApproveMinutes: 60 },
      notifications: { expiryWarningMinutes: 30, maxEmailAttempts: 8, emailRetryBaseMs: 30_000, maxRecipients: 500 },
      webhooks: { maxAttempts: 8, retryBaseMs: 2_000, timeoutMs: 5_000, secretGraceHours: 24 },
      imports: { maxBytes: 10 * 1024 * 1024, maxLineBytes: 64 * 1024 },
      retention: { days: 90 },
      intake: { operatorPrivateHours: 24 },
    });
  });

  it('follows the configuration and is frozen all the way down', () => {
    const rules = rulesFrom(loadConfig({ MAX_ACTIVE_CLAIMS: '2', CLAIM_TTL_MINUTES: '15', HANDOVER_AUTO_APPROVE_MINUTES: '5' }));
    expect(rules.claims).toEqual({ ttlMinutes: 15, maxActivePerVolunteer: 2 });
    expect(rules.handover.autoApproveMinutes).toBe(5);
    expect(Object.isFrozen(rules) && Object.isFrozen(rules.claims) && Object.isFrozen(rules.webhooks)).toBe(true);
    expect(() => ((rules.claims as { ttlMinutes: number }).ttlMinutes = 1)).toThrow(TypeError);
  });

  it('refuses invalid values with the name of the setting', () => {
    expect(() => loadConfig({ MAX_ACTIVE_CLAIMS: '0' })).toThrow(/MAX_ACTIVE_CLAIMS/);
    expect(() => loadConfig({ CLAIM_TTL_MINUTES: '-5' })).toThrow(/CLAIM_TTL_MINUTES/);
  });

  it('a claim expires its TTL after it is taken', () => {
    const rules = rulesFrom(loadConfig({ CLAIM_TTL_MINUTES: '90' }));
    expect(claimExpiresAt(rules, new Date('2026-03-27T00:30:00Z')).toISOString()).toBe('2026-03-27T02:00:00.000Z');
  });
});
