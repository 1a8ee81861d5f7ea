// The vetting rule as a truth table: every combination of requirement and record, and the
// instants around each expiry.
import { describe, expect, it } from 'vitest';
import { NeedCategory } from '../generated/prisma/enums.ts';
import {
  DEFAULT_REQUIREMENTS,
  DEFAULT_TRAININGS,
  UNVETTED,
  defaultRequirements,
  hasRequirements,
  missingForNeed,
  missingLabel,
  missingRequirements,
  notQualified,
  stillValid,
  trainingKeyFrom,
  type Requirements,
  type VettingFacts,
} from './vetting.ts';

const now = new Date('2027-03-01T12:00:00Z');
const before = (ms: number) => new Date(now.getTime() - ms);
const after = (ms: number) => new Date(now.getTime() + ms);
const codes = (req: Requirements, facts: VettingFacts, at = now) => missingRequirements(req, facts, at).map(missingLabel);

const full: Requirements = { identityCheck: true, backgroundCheck: true, trainings: ['child-safety'] };
const vetted: VettingFacts = {
  identityCheckedAt: before(86_400_000),
  backgroundCheckedAt: before(86_400_000),
  backgroundExpiresAt: after(86_400_000),
  trainings: [{ key: 'child-safety', completedAt: before(86_400_000), expiresAt: null }],
};

describe('what a volunteer lacks for a need', () => {
  it('asks nothing of anyone when the need asks nothing', () => {
    expect(codes({ identityCheck: false, backgroundCheck: false, trainings: [] }, UNVETTED)).toEqual([]);
  });

  it('names each requirement alone, for someone with nothing recorded', () => {
    expect(codes({ identityCheck: true, backgroundCheck: false, trainings: [] }, UNVETTED)).toEqual(['IDENTITY_CHECK']);
    expect(codes({ identityCheck: false, backgroundCheck: true, trainings: [] }, UNVETTED)).toEqual(['BACKGROUND_CHECK']);
    expect(codes({ identityCheck: false, backgroundCheck: false, trainings: ['hotline', 'first-aid'] }, UNVETTED)).toEqual(['TRAINING:hotline', 'TRAINING:first-aid']);
    expect(codes(full, UNVETTED)).toEqual(['IDENTITY_CHECK', 'BACKGROUND_CHECK', 'TRAINING:child-safety']);
  });

  it('covers every combination of requirement and record (truth table)', () => {
    for (const id of [false, true])
      for (const bg of [false, true])
        for (const tr of [false, true])
          for (const hasId of [false, true])
            for (const hasBg of [false, true])
              for (const hasTr of [false, true]) {
                const req = { identityCheck: id, backgroundCheck: bg, trainings: tr ? ['child-safety'] : [] };
                const facts = {
                  identityCheckedAt: hasId ? vetted.identityCheckedAt : null,
                  backgroundCheckedAt: hasBg ? vetted.backgroundCheckedAt : null,
                  backgroundExpiresAt: hasBg ? vetted.backgroundExpiresAt : null,
                  trainings: hasTr ? vetted.trainings : [],
                };
                const expected = [...(id && !hasId ? ['IDENTITY_CHECK'] : []), ...(bg && !hasBg ? ['BACKGROUND_CHECK'] : []), ...(tr && !hasTr ? ['TRAINING:child-safety'] : [])];
                expect([req, facts, codes(req, facts)]).toEqual([req, facts, expected]);
              }
  });

  it('holds a background check until the instant it expires, and not at it', () => {
    const expiring = { ...vetted, backgroundExpiresAt: now };
    expect(codes(full, expiring, before(1))).toEqual([]);
    expect(codes(full, expiring, now)).toEqual(['BACKGROUND_CHECK (expired on 2027-03-01)']);
    expect(codes(full, expiring, after(1))).toEqual(['BACKGROUND_CHECK (expired on 2027-03-01)']);
    expect(missingRequirements(full, expiring, now)[0]).toEqual({ requirement: 'BACKGROUND_CHECK', training: null, expiredAt: now });
  });

  it('holds a training until it expires, and forever without an expiry', () => {
    const expiring = { ...vetted, trainings: [{ key: 'child-safety', completedAt: before(1000), expiresAt: now }] };
    expect(codes(full, expiring, before(1))).toEqual([]);
    expect(codes(full, expiring, now)).toEqual(['TRAINING:child-safety (expired on 2027-03-01)']);
    expect(codes(full, vetted, new Date('2100-01-01'))).toEqual(['BACKGROUND_CHECK (expired on 2027-03-02)']);
    expect(stillValid(null, new Date('2100-01-01'))).toBe(true);
  });

  it('does not take one training for another', () => {
    const other = { ...vetted, trainings: [{ key: 'first-aid', completedAt: before(1), expiresAt: null }] };
    expect(codes(full, other)).toEqual(['TRAINING:child-safety']);
  });

  it('reads a need\'s columns', () => {
    const need = { requiresIdentityCheck: true, requiresBackgroundCheck: false, requiredTrainings: ['hotline'] };
    expect(missingForNeed(need, undefined, now).map(missingLabel)).toEqual(['IDENTITY_CHECK', 'TRAINING:hotline']);
    expect(missingForNeed({ requiresIdentityCheck: false, requiresBackgroundCheck: false, requiredTrainings: [] }, undefined, now)).toEqual([]);
  });
});

describe('the defaults', () => {
  it('ask identity, background and the matching training of sensitive work only', () => {
    const asking = Object.values(NeedCategory).filter((c) => hasRequirements(defaultRequirements(c)));
    expect(asking.sort()).toEqual(['CHILDCARE', 'ELDERLY_SUPPORT', 'HOSTING', 'MENTAL_HEALTH']);
    expect(DEFAULT_REQUIREMENTS.CHILDCARE).toEqual(full);
    expect(DEFAULT_REQUIREMENTS.ELDERLY_SUPPORT?.trainings).toEqual(['elderly-visiting']);
    expect(DEFAULT_REQUIREMENTS.MENTAL_HEALTH?.trainings).toEqual(['hotline']);
    const keys = DEFAULT_TRAININGS.map((t) => t.key);
    for (const r of Object.values(DEFAULT_REQUIREMENTS)) for (const k of r!.trainings) expect(keys).toContain(k);
  });
});

describe('the refusal', () => {
  it('is NOT_QUALIFIED naming exactly what is missing', () => {
    const e = notQualified(missingRequirements(full, { ...vetted, identityCheckedAt: null, backgroundExpiresAt: now }, now), 'you');
    expect(e.extensions).toEqual({ code: 'NOT_QUALIFIED', missing: ['IDENTITY_CHECK', 'BACKGROUND_CHECK (expired on 2027-03-01)'] });
    expect(e.message).toContain('IDENTITY_CHECK, BACKGROUND_CHECK (expired on 2027-03-01)');
  });
});

describe('training keys', () => {
  it('come from latin names, and not from others', () => {
    expect(trainingKeyFrom('Psychological First Aid!')).toBe('psychological-first-aid');
    expect(trainingKeyFrom('עזרה ראשונה')).toBe('');
  });
});
