// The coordinator's screens, in the order of a shift: take a call, watch, clean up, manage people,
// then the longer-term work. One list for the header's "Coordination" link and the section bar.
import type { MessageKey } from './i18n/messages/en.ts';

/** `intake`: a screen for taking needs in, which hotline operators get too (the API's anyIntake scope). */
export type Section = { href: string; key: MessageKey; intake?: true };

export const COORDINATOR_SECTIONS: readonly Section[] = [
  { href: '/dashboard', key: 'nav.dashboard' },
  { href: '/intake', key: 'nav.intake', intake: true },
  { href: '/sms', key: 'sms.nav', intake: true },
  { href: '/duplicates', key: 'dup.nav' },
  { href: '/members', key: 'members.nav' },
  { href: '/vetting', key: 'vet.nav' },
  { href: '/stock', key: 'stock.nav' },
  { href: '/partnerships', key: 'nav.partnerships' },
  { href: '/indicators', key: 'nav.indicators' },
  { href: '/data', key: 'nav.transfer' },
  { href: '/keys', key: 'nav.keys' },
];

/** The screens a viewer gets: a coordinator (or admin) all of them, a hotline operator the intake ones. */
export const sectionsFor = (viewer: { isCoordinator: boolean; takesIntake: boolean }): readonly Section[] =>
  viewer.isCoordinator ? COORDINATOR_SECTIONS : viewer.takesIntake ? COORDINATOR_SECTIONS.filter((s) => s.intake) : [];

export const inSection = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);
export const inCoordination = (pathname: string) => COORDINATOR_SECTIONS.some((s) => inSection(pathname, s.href));
