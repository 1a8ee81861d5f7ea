// A need as its form holds it (text as typed), the checks made before sending, and the API's input made
// from it: one place for the intake form and the text-message confirm form.
import type { NeedCategory, Urgency } from '#lib/domain.ts';
import type { NeedInput } from '#lib/graphql/shifts.ts';
import type { MessageKey } from '#lib/i18n/messages/en.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import type { CommunityRef } from '#lib/session.svelte.ts';
import { asciiDigits } from '@mutual-aid/api/shared/digits.ts';
import { distanceKm } from '@mutual-aid/api/shared/geo.ts';
import { validPhone } from '@mutual-aid/api/shared/phone.ts';

export type NeedValues = {
  communityId: string;
  title: string;
  description: string;
  category: NeedCategory | '';
  urgency: Urgency;
  /** As typed (Arabic-Indic digits too); a whole number from 1 to 500 to send. */
  slots: string;
  /** `datetime-local` values, in the browser's time zone. */
  neededFrom: string;
  neededBy: string;
  /** Work without a place (a phone call, help online): no address or pin. */
  remote: boolean;
  address: string;
  lat: number | null;
  lng: number | null;
  requesterName: string;
  requesterPhone: string;
  requesterEmail: string;
  /** The requester's answer: may the volunteer have their phone and email? Null until asked. */
  contactConsent: boolean | null;
  /** The requester's language for the texts they are sent; '': not asked (the API decides). */
  requesterLocale: Locale | '';
  /** Who may take it; null: the community's default for the category (the API applies it). */
  requirements: { identityCheck: boolean; backgroundCheck: boolean; trainings: string[] } | null;
};

export const blankNeed = (): NeedValues => ({
  communityId: '',
  title: '',
  description: '',
  category: '',
  urgency: 'NORMAL',
  slots: '1',
  neededFrom: '',
  neededBy: '',
  remote: false,
  address: '',
  lat: null,
  lng: null,
  requesterName: '',
  requesterPhone: '',
  requesterEmail: '',
  contactConsent: null,
  requesterLocale: '',
  requirements: null,
});

/** The API's limits on text fields (needRules.ts): counted as typed, never cut. */
export const NEED_LIMITS = { title: 120, description: 4_000, address: 300, requesterName: 120 } as const;

/** How far from its community's centre a pin may be before intake asks to check the address. */
export const AREA_KM = 20;

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The slots as typed, read as a number (NaN when it is not one). */
export const slotsOf = (text: string) => (/^\s*\d+\s*$/.test(asciiDigits(text)) ? Number(asciiDigits(text)) : Number.NaN);

/** Fields over their limit: shown while typing, before any attempt to send. */
export function needLiveProblems(need: NeedValues, t: T): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [field, max] of Object.entries(NEED_LIMITS)) {
    const count = [...need[field as keyof typeof NEED_LIMITS]].length;
    if (count > max) problems[field] = t('call.tooLong', { max, count });
  }
  if (need.remote) return problems;
  if (need.lat !== null && !(Math.abs(need.lat) <= 90)) problems.lat = t('call.tooFarLat');
  else if (need.lng !== null && !(Math.abs(need.lng) <= 180)) problems.lat = t('call.tooFarLng');
  return problems;
}

/** Every problem the form can see itself, all at once: sending waits until there is none. */
export function needProblems(need: NeedValues, t: T): Record<string, string> {
  const problems: Record<string, string> = {};
  const required = t('intake.required');
  if (!need.communityId) problems.communityId = required;
  if (!need.title.trim()) problems.title = required;
  if (!need.category) problems.category = required;
  const slots = slotsOf(need.slots);
  if (!(Number.isInteger(slots) && slots >= 1 && slots <= 500)) problems.slots = t('call.slots');
  if (need.neededFrom && need.neededBy && new Date(need.neededBy) <= new Date(need.neededFrom)) problems.neededBy = t('invalid.neededBy');
  if (!need.remote && !need.address.trim()) problems.address = required;
  if (!need.remote && (need.lat === null || need.lng === null)) problems.lat = t('intake.pinRequired');
  if (!need.requesterName.trim()) problems.requesterName = required;
  if (need.requesterPhone.trim() && !validPhone(need.requesterPhone)) problems.requesterPhone = t('invalid.requesterPhone');
  if (need.requesterEmail.trim() && !EMAIL.test(need.requesterEmail.trim())) problems.requesterEmail = t('call.email');
  if (need.contactConsent === null) problems.contactConsent = t('consent.required');
  return { ...problems, ...needLiveProblems(need, t) };
}

/** What to check with the caller, without stopping the sending: a date already past, a pin far from the community. */
export function needWarnings(need: NeedValues, community: CommunityRef | undefined, now: number, t: T, km: (n: number) => string): Record<string, string> {
  const warnings: Record<string, string> = {};
  for (const field of ['neededFrom', 'neededBy'] as const) {
    const at = need[field] ? new Date(need[field]).getTime() : Number.NaN;
    if (at < now) warnings[field] = t('call.pastDate');
  }
  if (community && !need.remote && need.lat !== null && need.lng !== null && Math.abs(need.lat) <= 90 && Math.abs(need.lng) <= 180) {
    const d = distanceKm({ lat: community.centerLat, lng: community.centerLng }, { lat: need.lat, lng: need.lng });
    if (d > AREA_KM) warnings.lat = t('call.outsideArea', { km: km(d), community: community.name });
  }
  return warnings;
}

const isoOf = (local: string) => (local ? new Date(local).toISOString() : null);
const orNull = (text: string) => text.trim() || null;

/** The API's input, once `needProblems` finds nothing. */
export function needInput(need: NeedValues): NeedInput {
  return {
    communityId: need.communityId,
    title: need.title.trim(),
    description: orNull(need.description),
    category: need.category as NeedCategory,
    urgency: need.urgency,
    slots: slotsOf(need.slots),
    neededFrom: isoOf(need.neededFrom),
    neededBy: isoOf(need.neededBy),
    ...(need.remote ? { remote: true } : { address: need.address.trim(), lat: need.lat!, lng: need.lng! }),
    requesterName: need.requesterName.trim(),
    // Typed on an Arabic keyboard (٠٥٠…): sent in the digits the API reads.
    requesterPhone: orNull(asciiDigits(need.requesterPhone)),
    requesterEmail: orNull(need.requesterEmail),
    contactConsent: need.contactConsent === true,
    ...(need.requesterLocale ? { requesterLocale: need.requesterLocale } : {}),
    ...(need.requirements ? { requirements: need.requirements } : {}),
  };
}
