import type { Messages } from '../../i18n/translate.js';

/** Messages of the one-click views beside the queue tabs (ticket-views.tsx); German and English have the same keys. */
export const viewMessages: { en: Messages; de: Messages } = {
  en: {
    'views.quick.title': 'Views',
    'views.quick.mine': 'My tickets',
    'views.quick.unassigned': 'Unassigned',
    'views.quick.countTitle': '{label}: {count} tickets (as many as the list shows in total)',
  },
  de: {
    'views.quick.title': 'Ansichten',
    'views.quick.mine': 'Meine Tickets',
    'views.quick.unassigned': 'Nicht zugewiesen',
    'views.quick.countTitle': '{label}: {count} Tickets (so viele wie die Liste insgesamt zeigt)',
  },
};
