// Vetting in the web app: names of trainings (the defaults translated by key, a community's own as
// it named them) and what a volunteer should do about each thing they lack. The rule itself is
// the API's (Need.viewerLacks, Membership.vetting.lacks); this only says it in the user's words.
import type { I18n } from '#lib/i18n/i18n.svelte.ts';
import type { MessageKey } from '#lib/i18n/messages/en.ts';

export type TrainingName = { key: string; name: string };
export type MissingRequirement = { requirement: 'IDENTITY_CHECK' | 'BACKGROUND_CHECK' | 'TRAINING'; training: string | null; expiredAt: string | null };

const DEFAULT_KEYS = ['child-safety', 'elderly-visiting', 'hotline', 'first-aid'];

export function trainingName(i18n: I18n, key: string, trainings: readonly TrainingName[] = []): string {
  if (DEFAULT_KEYS.includes(key)) return i18n.t(`vet.t.${key}` as MessageKey);
  return trainings.find((t) => t.key === key)?.name ?? key;
}

/** A date as a day, in the user's language. */
export const day = (i18n: I18n, value: string | Date) => new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeZone: 'Asia/Jerusalem' }).format(new Date(value));

/** What to do about one missing thing: "ask your coordinator for the child safety training". */
export function whatToDo(i18n: I18n, m: MissingRequirement, trainings: readonly TrainingName[] = []): string {
  const params = { training: m.training ? trainingName(i18n, m.training, trainings) : '', date: m.expiredAt ? day(i18n, m.expiredAt) : '' };
  const key = `vet.do.${m.requirement}${m.expiredAt ? '.expired' : ''}` as MessageKey;
  return i18n.t(key, params);
}

/** The requirements of a need, listed: "Identity check, Background check, Child safety". */
export function requirementList(i18n: I18n, r: { identityCheck: boolean; backgroundCheck: boolean; trainings: readonly string[] }, trainings: readonly TrainingName[] = []): string {
  return [
    ...(r.identityCheck ? [i18n.t('vet.req.identity')] : []),
    ...(r.backgroundCheck ? [i18n.t('vet.req.background')] : []),
    ...r.trainings.map((k) => trainingName(i18n, k, trainings)),
  ].join(', ');
}
