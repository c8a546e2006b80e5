import type { Messages } from '../../i18n/translate.js';

/** Messages of the customer context panel on the ticket page (customer-context.tsx); German and English have the same keys. */
export const contextMessages: { en: Messages; de: Messages } = {
  en: {
    'context.title': 'Customer',
  },
  de: {
    'context.title': 'Kunde',
  },
};
