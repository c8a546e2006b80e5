import type { Messages } from '../../core/plugin-api.js';

/** Every text the plugin shows, in both languages (its contract test checks that the keys match). */
export const connectMessages: { en: Messages; de: Messages } = {
  en: {
    'connect.name': 'Connect',
    'connect.items': 'Connect items',
    'connect.items.text': 'The items of connect.',
    'connect.empty': 'No items yet.',
    'connect.field.name': 'Name',
    'connect.field.required': 'Enter a name.',
    'connect.field.tooLong': 'A name has at most {max} characters.',
    'connect.field.taken': 'An item with this name exists already.',
    'connect.item.add': 'Add item',
    'connect.item.created': 'Item added.',
  },
  de: {
    'connect.name': 'Connect',
    'connect.items': 'Connect-Einträge',
    'connect.items.text': 'Die Einträge von connect.',
    'connect.empty': 'Noch keine Einträge.',
    'connect.field.name': 'Name',
    'connect.field.required': 'Bitte einen Namen angeben.',
    'connect.field.tooLong': 'Ein Name hat höchstens {max} Zeichen.',
    'connect.field.taken': 'Einen Eintrag mit diesem Namen gibt es schon.',
    'connect.item.add': 'Eintrag hinzufügen',
    'connect.item.created': 'Eintrag hinzugefügt.',
  },
};
