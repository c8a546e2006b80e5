/**
 * A directory card as a vCard 4.0 (RFC 6350) for the address book: written with ical.js, which knows
 * vCard's value types, escapes text (backslash, comma, semicolon in structured values, newlines) and
 * folds long lines at 75 octets with CRLF. Only the fields the viewer sees go in.
 */
import ICAL from 'ical.js';
import type { DirectoryContact } from './directory-contacts.js';

export interface VcardContext {
  /** The tenant's name, as the card's organisation. */
  organisation: string;
  /** The role's words in the reader's language (when the viewer sees the role and no job title is set). */
  roleLabel: (role: string) => string;
  /** A stable id for the card (UID), e.g. the tenant slug and user id. */
  uid: string;
  now: Date;
}

/** A property: a string, a structured value (N, ORG: components split by semicolons) or a list (CATEGORIES: by commas). */
function add(card: ICAL.Component, name: string, value: string | { structured: string[] } | { list: string[] }, params: Record<string, string | string[]> = {}) {
  const property = new ICAL.Property(name);
  for (const [key, param] of Object.entries(params)) property.setParameter(key, param);
  if (typeof value === 'string') property.setValue(value);
  else if ('structured' in value) property.setValue(value.structured as never);
  else property.setValues(value.list);
  card.addProperty(property);
}

export function contactVcard(contact: DirectoryContact, context: VcardContext): string {
  const card = new ICAL.Component('vcard');
  add(card, 'version', '4.0');
  add(card, 'fn', contact.name);
  // N is structured (family; given; additional; prefixes; suffixes): the last word as family name is a guess; FN stays exact.
  const words = contact.name.trim().split(/\s+/);
  add(card, 'n', { structured: [words.length > 1 ? words.at(-1)! : contact.name, words.length > 1 ? words.slice(0, -1).join(' ') : '', '', '', ''] });
  add(card, 'org', { structured: [context.organisation] });
  const title = contact.jobTitle || (contact.role ? context.roleLabel(contact.role) : '');
  if (title) add(card, 'title', title);
  if (contact.email) add(card, 'email', contact.email, { type: 'work' });
  if (contact.phone) add(card, 'tel', `tel:${contact.phone}`, { type: ['work', 'voice'], value: 'uri' });
  if (contact.mobile) add(card, 'tel', `tel:${contact.mobile}`, { type: ['cell', 'voice'], value: 'uri' });
  if (contact.sip) add(card, 'impp', contact.sip, { type: 'work' });
  contact.languages.forEach((code, index) => add(card, 'lang', code, { pref: String(index + 1) }));
  if (contact.groups.length) add(card, 'categories', { list: contact.groups });
  add(card, 'uid', `urn:tresen:${context.uid}`);
  return `${card.toString()}\r\n`;
}

/** A file name for the download: the name's letters and digits only. */
export function vcardFilename(name: string): string {
  const base = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `${base || 'contact'}.vcf`;
}
