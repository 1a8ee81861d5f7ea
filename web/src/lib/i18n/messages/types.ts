// The catalogue shapes, one definition for the API's catalogues and these (api/src/shared/i18n/types.ts).
export type { PluralForms, Translation } from '@mutual-aid/api/shared/i18n/types.ts';
