import type { Messages } from '../../i18n/translate.js';

/** Messages of the admin screens; German and English must have the same keys. */
export const adminMessages: { en: Messages; de: Messages } = {
  en: {},
  de: {},
};
