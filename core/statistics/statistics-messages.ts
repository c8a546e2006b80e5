import type { Messages } from '../i18n/translate.js';

/** The staff Statistics page and the core's panels; German and English must have the same keys. */
export const statisticsMessages: { en: Messages; de: Messages } = {
  en: {
    'nav.statistics': 'Statistics',
    'statistics.title': 'Statistics',
    'statistics.status': 'Status',
    'statistics.tickets': 'Tickets',
    'statistics.share': 'Share',
    'statistics.total': 'Total',
    'statistics.byStatusNote': 'Right now, without closed tickets.',
    'statistics.byStatusChart': 'Bar chart of tickets by status',
  },
  de: {
    'nav.statistics': 'Statistik',
    'statistics.title': 'Statistik',
    'statistics.status': 'Status',
    'statistics.tickets': 'Tickets',
    'statistics.share': 'Anteil',
    'statistics.total': 'Gesamt',
    'statistics.byStatusNote': 'Aktueller Stand, ohne geschlossene Tickets.',
    'statistics.byStatusChart': 'Balkendiagramm der Tickets nach Status',
  },
};
