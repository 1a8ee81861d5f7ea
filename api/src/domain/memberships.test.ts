import { describe, expect, it } from 'vitest';
import { coordinatorsOf, viewer } from '../auth/viewers.fixture.ts';
import { render } from '../shared/i18n/translate.ts';
import { canSeeApplication, cleanText, decisionText, mayDecideMemberships, mayMoveTo, statusOnJoin } from './memberships.ts';

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

  it('tells the applicant in their language', () => {
    expect(render('he', decisionText(true, 'שדרות', null).title)).toBe('הצטרפת לשדרות');
    expect(render('ru', decisionText(false, 'Sderot', 'full').body!)).toBe('Причина: full');
    expect(render('en', decisionText(false, 'Sderot', 'Too far away').title)).toBe('Your application to Sderot was declined');
    expect(decisionText(false, 'Sderot', null).body).toBeNull();
  });
});
