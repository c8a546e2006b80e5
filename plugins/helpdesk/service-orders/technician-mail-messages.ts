import type { Messages } from '../../../core/plugin-api.js';

/** The technician's mail about a service order (with its calendar attachment); German and English have the same keys. */
const en: Messages = {
  'helpdesk.so.mail.subject.assigned': '[#{number}] Service order #{id} for you: {type}, {when}',
  'helpdesk.so.mail.subject.changed': '[#{number}] Service order #{id} changed: {type}, {when}',
  'helpdesk.so.mail.subject.cancelled': '[#{number}] Service order #{id} cancelled: {type}, {when}',
  'helpdesk.so.mail.intro.assigned': 'Hello {name},\n\nyou have been scheduled for this service order:',
  'helpdesk.so.mail.intro.changed': 'Hello {name},\n\nyour service order has been changed:',
  'helpdesk.so.mail.intro.cancelled': 'Hello {name},\n\nthis service order no longer needs you (cancelled or handed to someone else):',
  'helpdesk.so.mail.ticket': 'Ticket: #{number} {subject}',
  'helpdesk.so.mail.type': 'Type: {type}',
  'helpdesk.so.mail.when': 'Planned: {start} – {end} ({zone})',
  'helpdesk.so.mail.whenOpen': 'Planned: {start} ({zone})',
  'helpdesk.so.mail.organisation': 'Customer: {name}',
  'helpdesk.so.mail.requester': 'Requester: {name} <{email}>',
  'helpdesk.so.mail.link': 'Open the ticket: {link}',
  'helpdesk.so.mail.calendar': 'The attached calendar entry updates your calendar.',
  'helpdesk.so.mail.summary': 'Service order #{id}: {type} ({number})',
};

const de: Messages = {
  'helpdesk.so.mail.subject.assigned': '[#{number}] Serviceauftrag #{id} für Sie: {type}, {when}',
  'helpdesk.so.mail.subject.changed': '[#{number}] Serviceauftrag #{id} geändert: {type}, {when}',
  'helpdesk.so.mail.subject.cancelled': '[#{number}] Serviceauftrag #{id} abgesagt: {type}, {when}',
  'helpdesk.so.mail.intro.assigned': 'Hallo {name},\n\nSie sind für diesen Serviceauftrag eingeplant:',
  'helpdesk.so.mail.intro.changed': 'Hallo {name},\n\nIhr Serviceauftrag wurde geändert:',
  'helpdesk.so.mail.intro.cancelled': 'Hallo {name},\n\ndieser Serviceauftrag braucht Sie nicht mehr (abgesagt oder jemand anderem übertragen):',
  'helpdesk.so.mail.ticket': 'Ticket: #{number} {subject}',
  'helpdesk.so.mail.type': 'Art: {type}',
  'helpdesk.so.mail.when': 'Geplant: {start} – {end} ({zone})',
  'helpdesk.so.mail.whenOpen': 'Geplant: {start} ({zone})',
  'helpdesk.so.mail.organisation': 'Kunde: {name}',
  'helpdesk.so.mail.requester': 'Anfragender: {name} <{email}>',
  'helpdesk.so.mail.link': 'Ticket öffnen: {link}',
  'helpdesk.so.mail.calendar': 'Der angehängte Kalendereintrag aktualisiert Ihren Kalender.',
  'helpdesk.so.mail.summary': 'Serviceauftrag #{id}: {type} ({number})',
};

export const technicianMailMessages = { en, de };
