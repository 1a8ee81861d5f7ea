// What the offer screens share: the kinds, the languages an offerer can tick, and how an offer's
// capacity and a match's state read.
import type { introspection_types } from './graphql/graphql-env.d.ts';
import { LOCALES } from './i18n/locales.ts';
import type { I18n } from './i18n/i18n.svelte.ts';
import type { MatchReasonData } from './graphql/coordination.ts';
import { Bed, Car, Package, Wrench, type IconNode } from 'lucide';

export type OfferKind = introspection_types['OfferKind']['enumValues'];
export type OfferMatchStatus = introspection_types['OfferMatchStatus']['enumValues'];

export const OFFER_KINDS = ['HOSTING', 'RIDE', 'GOODS', 'SKILL'] as const satisfies readonly OfferKind[];

/** The app's own languages; the API takes any lower-case tag. */
export const OFFER_LANGUAGES = LOCALES;

/** Which side still has to accept a proposed match. */
export function pendingSides(m: { status: OfferMatchStatus; offerAcceptedAt: unknown; needAcceptedAt: unknown }) {
  const open = m.status === 'PROPOSED';
  return { offer: open && !m.offerAcceptedAt, need: open && !m.needAcceptedAt };
}

export const OFFER_ICON: Record<OfferKind, IconNode> = { HOSTING: Bed, RIDE: Car, GOODS: Package, SKILL: Wrench };

/** Offers' markers: hollow rings in their own colour, so they never read as a need's urgency. */
export const OFFER_COLOR = '#0e7490';

/** Why an offer fits a need, in the reader's language: the API's English text carries the figures (beds free, km), read from it. */
export function offerReasonText(i18n: I18n, r: MatchReasonData): string {
  const key = `offers.reason.${r.code}`;
  if (!i18n.has(key)) return r.text;
  const figures = (r.text.match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
  if (r.code === 'CAPACITY' || r.code === 'TOO_SMALL') {
    const [free, wanted] = figures;
    return free === undefined || wanted === undefined ? r.text : i18n.t(key, { free: i18n.number(free), wanted: i18n.number(wanted) });
  }
  if (r.code === 'DISTANCE' || r.code === 'DESTINATION') {
    const km = figures[0];
    return km === undefined ? r.text : i18n.t(key, { km: i18n.number(km, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) });
  }
  return i18n.t(key);
}
