// The coordinator's screens, in the order of a shift: take a call, watch, clean up, manage people,
// then the longer-term work. One list for the header's "Coordination" link and the section bar.
import type { MessageKey } from './i18n/messages/en.ts';

export type Section = { href: string; key: MessageKey };

export const COORDINATOR_SECTIONS: readonly Section[] = [
  { href: '/dashboard', key: 'nav.dashboard' },
  { href: '/intake', key: 'nav.intake' },
  { href: '/sms', key: 'sms.nav' },
  { href: '/duplicates', key: 'dup.nav' },
  { href: '/members', key: 'members.nav' },
  { href: '/vetting', key: 'vet.nav' },
  { href: '/partnerships', key: 'nav.partnerships' },
  { href: '/indicators', key: 'nav.indicators' },
  { href: '/data', key: 'nav.transfer' },
  { href: '/keys', key: 'nav.keys' },
];

export const inSection = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);
export const inCoordination = (pathname: string) => COORDINATOR_SECTIONS.some((s) => inSection(pathname, s.href));
