// A need as its form holds it (text as typed), the checks made before sending, and the API's input made
// from it: one place for the intake form and the text-message confirm form.
import type { NeedCategory, Urgency } from '#lib/domain.ts';
import type { NeedInput } from '#lib/graphql/shifts.ts';
import type { MessageKey } from '#lib/i18n/messages/en.ts';
import type { Locale } from '#lib/i18n/locales.ts';

export type NeedValues = {
  communityId: string;
  title: string;
  description: string;
  category: NeedCategory | '';
  urgency: Urgency;
  slots: number;
  /** `datetime-local` values, in the browser's time zone. */
  neededFrom: string;
  neededBy: string;
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
  slots: 1,
  neededFrom: '',
  neededBy: '',
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

/** Only what the server cannot tell us better: required fields left empty and the missing pin. */
export function needProblems(need: NeedValues, t: (key: MessageKey) => string): Record<string, string> {
  const problems: Record<string, string> = {};
  const required = t('intake.required');
  if (!need.communityId) problems.communityId = required;
  if (!need.title.trim()) problems.title = required;
  if (!need.category) problems.category = required;
  if (!need.address.trim()) problems.address = required;
  if (need.lat === null || need.lng === null) problems.lat = t('intake.pinRequired');
  if (!need.requesterName.trim()) problems.requesterName = required;
  if (need.contactConsent === null) problems.contactConsent = t('consent.required');
  return problems;
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
    slots: need.slots,
    neededFrom: isoOf(need.neededFrom),
    neededBy: isoOf(need.neededBy),
    address: need.address.trim(),
    lat: need.lat!,
    lng: need.lng!,
    requesterName: need.requesterName.trim(),
    requesterPhone: orNull(need.requesterPhone),
    requesterEmail: orNull(need.requesterEmail),
    contactConsent: need.contactConsent === true,
    ...(need.requesterLocale ? { requesterLocale: need.requesterLocale } : {}),
    ...(need.requirements ? { requirements: need.requirements } : {}),
  };
}
