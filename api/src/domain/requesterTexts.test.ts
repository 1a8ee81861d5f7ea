import { describe, expect, it } from 'vitest';
import { requesterTextFor } from './requesterTexts.ts';
import { textsRequester, volunteerNameForRequester } from './privacy.ts';

describe('which event texts the requester', () => {
  it('the first live claim (claimed or assigned) and becoming done; nothing else', () => {
    expect(requesterTextFor({ type: 'CLAIMED', fromStatus: 'OPEN', toStatus: 'CLAIMED' }, 1)).toBe('TAKEN');
    expect(requesterTextFor({ type: 'ASSIGNED', fromStatus: 'OPEN', toStatus: 'OPEN' }, 1)).toBe('TAKEN');
    // A second volunteer on a need of many places: the requester already knows it is taken.
    expect(requesterTextFor({ type: 'CLAIMED', fromStatus: 'OPEN', toStatus: 'CLAIMED' }, 2)).toBeNull();
    expect(requesterTextFor({ type: 'COMPLETED', fromStatus: 'IN_PROGRESS', toStatus: 'DONE' }, 0)).toBe('DONE');
    expect(requesterTextFor({ type: 'VERIFIED', fromStatus: 'DONE', toStatus: 'DONE' }, 0)).toBeNull();
    for (const type of ['RELEASED', 'EXPIRED', 'STARTED', 'EXTENDED', 'UNASSIGNED'] as const) {
      expect(requesterTextFor({ type, fromStatus: 'CLAIMED', toStatus: 'OPEN' }, 0)).toBeNull();
    }
  });
});

describe('privacy of texts to requesters', () => {
  it('only with consent and a phone that was not erased', () => {
    expect(textsRequester({ contactConsent: true, requesterPhone: '+972501', privateErasedAt: null })).toBe(true);
    expect(textsRequester({ contactConsent: false, requesterPhone: '+972501', privateErasedAt: null })).toBe(false);
    expect(textsRequester({ contactConsent: true, requesterPhone: null, privateErasedAt: null })).toBe(false);
    expect(textsRequester({ contactConsent: true, requesterPhone: '+972501', privateErasedAt: new Date() })).toBe(false);
  });

  it('names the volunteer by first name at most', () => {
    expect(volunteerNameForRequester('Dana Levi-Cohen')).toBe('Dana');
    expect(volunteerNameForRequester('  נועה   שלו ')).toBe('נועה');
    expect(volunteerNameForRequester('050-1234567 Dana')).toBeNull();
    expect(volunteerNameForRequester('dana@example.org')).toBeNull();
    expect(volunteerNameForRequester('')).toBeNull();
    expect(volunteerNameForRequester('A'.repeat(80))).toBe('A'.repeat(30));
  });
});
