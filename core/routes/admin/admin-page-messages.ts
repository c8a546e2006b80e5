import type { Messages } from '../../i18n/translate.js';

/** The Administration page's groups and the core sections' descriptions; German and English must have the same keys. */
export const adminPageMessages: { en: Messages; de: Messages } = {
  en: {
    'adminPage.lead': 'Everything you may set up for this tenant, the switched-on plugins\' settings included.',
    'adminPage.group.customers': 'Customers',
    'adminPage.group.team': 'Team',
    'adminPage.group.tickets': 'Tickets',
    'adminPage.group.channels': 'Channels',
    'adminPage.group.tenant': 'Tenant',
    'adminPage.organisations': 'Customers, their mail domains and contracts.',
    'adminPage.people': 'Contact persons of customers and their portal access.',
    'adminPage.users': 'Staff accounts, their roles and languages, and what each role may do.',
    'adminPage.groups': 'Support groups, their levels and members.',
    'adminPage.tickets': 'Ticket rules, priority names, categories and custom fields.',
    'adminPage.fields': 'The custom fields of tickets and of the records the plugins add (e.g. devices).',
    'adminPage.branding': 'Name, logo, colours, language, time zone and mail sender.',
    'adminPage.audit': 'Who changed what in the administration, and when.',
  },
  de: {
    'adminPage.lead': 'Alles, was Sie für diesen Mandanten einrichten dürfen, auch die Einstellungen der eingeschalteten Plugins.',
    'adminPage.group.customers': 'Kunden',
    'adminPage.group.team': 'Team',
    'adminPage.group.tickets': 'Tickets',
    'adminPage.group.channels': 'Kanäle',
    'adminPage.group.tenant': 'Mandant',
    'adminPage.organisations': 'Kunden, ihre Mail-Domains und Verträge.',
    'adminPage.people': 'Ansprechpartner der Kunden und ihr Portalzugang.',
    'adminPage.users': 'Konten der Mitarbeitenden, ihre Rollen und Sprachen, und was jede Rolle darf.',
    'adminPage.groups': 'Supportgruppen, ihre Stufen und Mitglieder.',
    'adminPage.tickets': 'Ticketregeln, Prioritätsnamen, Kategorien und Zusatzfelder.',
    'adminPage.fields': 'Die Zusatzfelder der Tickets und der Datensätze, die Plugins hinzufügen (z. B. Geräte).',
    'adminPage.branding': 'Name, Logo, Farben, Sprache, Zeitzone und Mail-Absender.',
    'adminPage.audit': 'Wer wann was in der Administration geändert hat.',
  },
};
