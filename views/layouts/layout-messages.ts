import type { Messages } from '../../core/i18n/translate.js';

/** Words of the phone layout (the list's tools toggle, admin tables as cards); German and English have the same keys. */
export const layoutMessages: { en: Messages; de: Messages } = {
  en: {
    'layout.viewsAndFilters': 'Views and filters',
    'layout.viewsAndFiltersActive': 'Views and filters · {count} set',
  },
  de: {
    'layout.viewsAndFilters': 'Ansichten und Filter',
    'layout.viewsAndFiltersActive': 'Ansichten und Filter · {count} gesetzt',
  },
};
