import type { Messages } from './translate.js';

/** Messages of the tenant time zone setting (branding page, new tenant form); German and English have the same keys. */
export const timeZoneMessages: { en: Messages; de: Messages } = {
  en: {
    'timeZone.label': 'Time zone',
    'timeZone.hint': 'Dates and times are shown and entered in this zone, in mails too.',
    'timeZone.unknown': 'Choose a time zone from the list (an IANA name such as Europe/Vienna).',
    'timeZone.other': 'Other',
  },
  de: {
    'timeZone.label': 'Zeitzone',
    'timeZone.hint': 'Datum und Uhrzeit werden in dieser Zone angezeigt und eingegeben, auch in E-Mails.',
    'timeZone.unknown': 'Bitte eine Zeitzone aus der Liste wählen (ein IANA-Name wie Europe/Vienna).',
    'timeZone.other': 'Sonstige',
  },
};
