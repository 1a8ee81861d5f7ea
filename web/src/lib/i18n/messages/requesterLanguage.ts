// Messages for the requester's language at intake, in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const requesterLanguageEn = {
  'requesterLanguage.label': 'Requester’s language',
  'requesterLanguage.notAsked': 'Not asked',
  'requesterLanguage.hint': 'Text messages to the requester are written in it. Not asked: the language of their text message, else yours.',
} as const;

export const requesterLanguageHe: Translation<typeof requesterLanguageEn> = {
  'requesterLanguage.label': 'שפת המבקש/ת',
  'requesterLanguage.notAsked': 'לא נשאל',
  'requesterLanguage.hint': 'הודעות הטקסט למבקש/ת נכתבות בשפה זו. אם לא נשאל: שפת ההודעה ששלחו, אחרת השפה שלך.',
};

export const requesterLanguageAr: Translation<typeof requesterLanguageEn> = {
  'requesterLanguage.label': 'لغة صاحب الطلب',
  'requesterLanguage.notAsked': 'لم يُسأل',
  'requesterLanguage.hint': 'تُكتب الرسائل النصية لصاحب الطلب بهذه اللغة. إن لم يُسأل: لغة رسالته النصية، وإلا لغتك.',
};

export const requesterLanguageRu: Translation<typeof requesterLanguageEn> = {
  'requesterLanguage.label': 'Язык заявителя',
  'requesterLanguage.notAsked': 'Не спрашивали',
  'requesterLanguage.hint': 'На нём пишутся SMS заявителю. Если не спрашивали: язык его SMS, иначе ваш.',
};
