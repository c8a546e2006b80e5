import type { Messages } from '../../i18n/translate.js';

/** Messages of the as-you-type pickers (organisation picker); German and English must have the same keys. */
export const pickerMessages: { en: Messages; de: Messages } = {
  en: {
    'picker.clear': 'Clear {label}',
    'picker.organisation.title': 'Find customer',
    'picker.organisation.placeholder': 'Name, customer number or mail domain',
    'picker.organisation.empty': 'No customer found.',
    'picker.organisation.none': 'No customer matches “{text}”.',
    'picker.organisation.several': 'Several customers match “{text}”: {names}. Type more of the name.',
  },
  de: {
    'picker.clear': '{label} leeren',
    'picker.organisation.title': 'Kunden suchen',
    'picker.organisation.placeholder': 'Name, Kundennummer oder Mail-Domain',
    'picker.organisation.empty': 'Kein Kunde gefunden.',
    'picker.organisation.none': 'Kein Kunde passt zu „{text}“.',
    'picker.organisation.several': 'Mehrere Kunden passen zu „{text}“: {names}. Bitte mehr vom Namen eingeben.',
  },
};
