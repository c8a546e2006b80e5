import type { Messages } from '../../core/plugin-api.js';

/** The texts of the edit locks and the reports, in both languages (merged into messages.ts). */
export const lockReportMessages: { en: Messages; de: Messages } = {
  en: {
    'sla.lock.title': 'Editing',
    'sla.lock.mine': 'You are editing this ticket. Colleagues see it locked until {until}; your open page keeps the lock.',
    'sla.lock.other': 'Locked by {who} since {since}. You can read this ticket; saving is refused while the lock holds.',
    'sla.lock.free': 'Nobody is editing this ticket.',
    'sla.lock.takeOver': 'Take over editing…',
    'sla.lock.takeOver.confirm': '{who} will be told at once, and their unsaved changes will be refused.',
    'sla.lock.takeOver.button': 'Take over from {who}',
    'sla.lock.takenOver': 'You took over editing from {who}.',
    'sla.lock.takenSummary': '{who} took over editing ticket {number}; your unsaved changes there will be refused.',
    'sla.lock.refused': 'Not saved: {who} is editing this ticket since {since}. Take over editing first, or wait until they are done.',
    'sla.lock.release': 'Stop editing',
    'sla.lock.released': 'You stopped editing this ticket.',
  },
  de: {
    'sla.lock.title': 'Bearbeitung',
    'sla.lock.mine': 'Sie bearbeiten dieses Ticket. Für Kolleginnen und Kollegen ist es bis {until} gesperrt; Ihre offene Seite hält die Sperre.',
    'sla.lock.other': 'Gesperrt von {who} seit {since}. Sie können das Ticket lesen; Speichern wird abgelehnt, solange die Sperre gilt.',
    'sla.lock.free': 'Niemand bearbeitet dieses Ticket.',
    'sla.lock.takeOver': 'Bearbeitung übernehmen …',
    'sla.lock.takeOver.confirm': '{who} wird sofort benachrichtigt, und nicht gespeicherte Änderungen dort werden abgelehnt.',
    'sla.lock.takeOver.button': 'Von {who} übernehmen',
    'sla.lock.takenOver': 'Sie haben die Bearbeitung von {who} übernommen.',
    'sla.lock.takenSummary': '{who} hat die Bearbeitung von Ticket {number} übernommen; Ihre nicht gespeicherten Änderungen dort werden abgelehnt.',
    'sla.lock.refused': 'Nicht gespeichert: {who} bearbeitet dieses Ticket seit {since}. Bitte erst die Bearbeitung übernehmen oder warten, bis die Person fertig ist.',
    'sla.lock.release': 'Bearbeitung beenden',
    'sla.lock.released': 'Sie bearbeiten dieses Ticket nicht mehr.',
  },
};
