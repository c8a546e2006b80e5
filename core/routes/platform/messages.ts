import type { Messages } from '../../i18n/translate.js';

/** Messages of the platform screens; German and English must have the same keys. */
export const platformMessages: { en: Messages; de: Messages } = {
  en: {},
  de: {},
};
