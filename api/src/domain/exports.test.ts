import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { Services } from '../services.ts';
import { csvText, exportRows, type ExportKind } from './exports.ts';

/** Refusals happen before anything is read: a test that reached the database would throw here. */
const NO_SERVICES = {} as Services;

// Who may export is decided before the first row is read: these refusals need no database.
describe('exportRows, who may export', () => {
  const viewer = (roles: [string, MembershipRole][]): Viewer => ({ id: 'u', name: 'U', isAdmin: false, roles: new Map(roles), operatesFor: new Set(), sessionId: 's', sessionExpiresAt: new Date(0) });
  const first = (v: Viewer, kind: ExportKind, communityIds?: string[]) => exportRows(NO_SERVICES, v, kind, { communityIds }).next();

  it.each([
    ['nobody who coordinates nothing', viewer([['c1', 'VOLUNTEER']]), 'needs', undefined, 'You are not allowed to export data.'],
    ['nobody without a community', viewer([]), 'events', undefined, 'You are not allowed to export data.'],
    ['not a community one only volunteers in', viewer([['c1', 'COORDINATOR'], ['c2', 'VOLUNTEER']]), 'needs', ['c2'], "You are not allowed to export a community you don't coordinate."],
    ['not a list with one community too many', viewer([['c1', 'COORDINATOR']]), 'indicators', ['c1', 'c3'], "You are not allowed to export a community you don't coordinate."],
  ] as const)('lets %s', async (_label, v, kind, ids, message) => {
    await expect(first(v, kind, ids ? [...ids] : undefined)).rejects.toMatchObject({ message, extensions: { code: 'FORBIDDEN' } });
  });
});

describe('csvText, a text cell no spreadsheet runs as a formula', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['=1+1', "'=1+1"],
    ['+SUM(1,2)', "'+SUM(1,2)"],
    ['-2+3', "'-2+3"],
    ['@SUM(1,2)', "'@SUM(1,2)"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['+972 50 765 1111', "'+972 50 765 1111"],
    ['-31.5', "'-31.5"],
  ])('neutralises %j', (text, cell) => {
    expect(csvText(text)).toBe(cell);
  });

  it.each([
    ['plain text', 'Groceries for Miriam'],
    ['Hebrew', 'קניות לזוג קשישים'],
    ['a formula character further in', 'a=1+1, b-2 @home'],
    ['a blank before the formula (only a tab or CR counts)', ' =1+1'],
    ['a newline first', '\n=1'],
    ['a quote first', "'=1"],
    ['nothing', ''],
  ])('keeps %s as it is', (_label, text) => {
    expect(csvText(text)).toBe(text);
  });

  it('in a CSV, neutralises text cells and leaves numbers, booleans and nulls as they are', () => {
    const csv = stringify([{ title: '-2+3', lat: -31.5, lng: -0.25, cursor: '-1', done: true, doneAt: null }], { header: true, cast: { string: csvText } });
    expect(csv).toBe("title,lat,lng,cursor,done,doneAt\n'-2+3,-31.5,-0.25,'-1,1,\n");
  });
});
