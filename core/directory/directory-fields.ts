/**
 * What a card of the support directory ("Kundendienst") can show. Staff see every field; portal users
 * see the name and the fields their tenant allows (directory_settings.portal_fields), nothing else.
 */
export const DIRECTORY_FIELDS = ['photo', 'role', 'groups', 'languages', 'email', 'phone', 'mobile', 'sip', 'availability'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

/** A staff member's own setting; the on-call rota (sla on) can make "off duty" available during a shift. */
export const AVAILABILITIES = ['available', 'busy', 'away', 'off'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Languages a card may list (ISO 639-1), in the order the picker shows them. */
export const DIRECTORY_LANGUAGES = ['de', 'en', 'fr', 'it', 'es', 'nl', 'pl', 'cs', 'tr', 'ru', 'uk', 'ar', 'pt', 'da', 'sv', 'hu', 'ro', 'hr', 'el', 'zh'] as const;

export function isDirectoryField(value: string): value is DirectoryField {
  return (DIRECTORY_FIELDS as readonly string[]).includes(value);
}

export function isAvailability(value: string): value is Availability {
  return (AVAILABILITIES as readonly string[]).includes(value);
}

/** Comma-separated field names as stored, unknown ones dropped, in DIRECTORY_FIELDS order. */
export function parseFields(stored: string): DirectoryField[] {
  const set = new Set(stored.split(',').map((f) => f.trim()));
  return DIRECTORY_FIELDS.filter((field) => set.has(field));
}
