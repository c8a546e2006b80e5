import type { Messages } from '../../i18n/translate.js';

/** Messages of the customer context panel on the ticket page (customer-context.tsx); German and English have the same keys. */
export const contextMessages: { en: Messages; de: Messages } = {
  en: {
    'context.title': 'Requester and customer',
    'context.load': 'Show the customer’s details and tickets',
    'context.none': 'No requester or organisation on this ticket.',
    'context.phone': 'Phone',
    'context.email': 'E-mail',
    'context.address': 'Address',
    'context.contract': 'Contract',
    'context.noContract': 'No contract on this ticket.',
    'context.personOpen': 'Other open tickets of {name}',
    'context.organisationOpen': 'Further open tickets of {name}',
    'context.noneOpen': 'None.',
    'context.more': 'All tickets',
    'context.recentClosed': 'Recently solved or closed',
    'context.newTicket': 'New ticket for this customer',
  },
  de: {
    'context.title': 'Anfragender und Kunde',
    'context.load': 'Angaben und Tickets des Kunden zeigen',
    'context.none': 'Dieses Ticket hat weder einen Anfragenden noch einen Kunden.',
    'context.phone': 'Telefon',
    'context.email': 'E-Mail',
    'context.address': 'Anschrift',
    'context.contract': 'Vertrag',
    'context.noContract': 'Kein Vertrag an diesem Ticket.',
    'context.personOpen': 'Weitere offene Tickets von {name}',
    'context.organisationOpen': 'Weitere offene Tickets von {name}',
    'context.noneOpen': 'Keine.',
    'context.more': 'Alle Tickets',
    'context.recentClosed': 'Zuletzt gelöst oder geschlossen',
    'context.newTicket': 'Neues Ticket für diesen Kunden',
  },
};
