import { describe, expect, it } from 'vitest';
import { coordinatorsOf, viewer } from '../auth/viewers.fixture.ts';
import { canSeeApplication, cleanText, decisionMessage, mayDecideMemberships, mayMoveTo, statusOnJoin } from './memberships.ts';

describe('joining a community', () => {
  it('is membership at once in an OPEN community, an application in one that requires APPROVAL', () => {
    expect(statusOnJoin('OPEN')).toBe('ACTIVE');
    expect(statusOnJoin('APPROVAL')).toBe('PENDING');
  });

  it('keeps what the applicant says trimmed and capped, and nothing as none', () => {
    expect(cleanText('  I drive  ', 500)).toBe('I drive');
    expect(cleanText('x'.repeat(600), 500)).toHaveLength(500);
    expect(cleanText('   ', 500)).toBeNull();
    expect(cleanText(null, 500)).toBeNull();
  });
});

describe('deciding an application', () => {
  it.each(coordinatorsOf('sderot'))('%s: may decide = %s', (_who, v, expected) => {
    expect(mayDecideMemberships(v, 'sderot')).toBe(expected);
  });

  it('approves a pending or a declined membership, declines only a pending one', () => {
    expect(mayMoveTo('PENDING', 'ACTIVE')).toBe(true);
    expect(mayMoveTo('DECLINED', 'ACTIVE')).toBe(true);
    expect(mayMoveTo('ACTIVE', 'ACTIVE')).toBe(false);
    expect(mayMoveTo('PENDING', 'DECLINED')).toBe(true);
    expect(mayMoveTo('DECLINED', 'DECLINED')).toBe(false);
    expect(mayMoveTo('ACTIVE', 'DECLINED')).toBe(false);
  });

  it('shows the note and the reason to the applicant and to who decides, no one else', () => {
    const m = { userId: 'applicant', communityId: 'sderot' };
    expect(canSeeApplication(viewer([], false, 'applicant'), m)).toBe(true);
    for (const [, v, decides] of coordinatorsOf('sderot')) expect(canSeeApplication(v, m)).toBe(decides);
  });

  it('tells the applicant in their language, English when it is not known', () => {
    expect(decisionMessage('he', true, 'שדרות', null).title).toBe('הצטרפת לשדרות');
    expect(decisionMessage('ru', false, 'Sderot', 'full').body).toBe('Причина: full');
    expect(decisionMessage('xx', false, 'Sderot', 'Too far away')).toEqual({ title: 'Your application to Sderot was declined', body: 'Reason: Too far away' });
    expect(decisionMessage('en', false, 'Sderot', null).body).toBe('');
  });
});
