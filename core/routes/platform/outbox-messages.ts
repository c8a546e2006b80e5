import type { Messages } from '../../i18n/translate.js';

/** Messages of the operator's outbox (a mail's sender and its attachments); German and English have the same keys. */
export const outboxMessages: { en: Messages; de: Messages } = {
  en: {
    'outbox.from': 'From',
    'outbox.attachments': 'Attachments',
    'outbox.fileCount': 'Attachments: {count}',
    'outbox.file': 'File name',
    'outbox.type': 'Type',
    'outbox.size': 'Size',
    'outbox.download': 'Download {name}',
    'outbox.missing': 'This mail has no such attachment.',
  },
  de: {
    'outbox.from': 'Von',
    'outbox.attachments': 'Anhänge',
    'outbox.fileCount': 'Anhänge: {count}',
    'outbox.file': 'Dateiname',
    'outbox.type': 'Typ',
    'outbox.size': 'Größe',
    'outbox.download': '{name} herunterladen',
    'outbox.missing': 'Diese Mail hat keinen solchen Anhang.',
  },
};
