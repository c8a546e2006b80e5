import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { DirectoryContact } from './directory-contacts.js';
import { contactVcard, vcardFilename } from './directory-vcard.js';

const contact: DirectoryContact = {
  userId: 7, name: 'Jörg van der Berg', role: 'agent', jobTitle: 'Hotline; 2nd level, Netze', groups: ['1st level', 'Netz, Telefon'], languages: ['de', 'en'],
  email: 'joerg@acme.test', phone: '+49301234567', mobile: '+491711234567', sip: 'sip:joerg@pbx.acme.test', availability: 'available', onCall: [], photo: null,
};
const context = { organisation: 'Acme; Service GmbH', roleLabel: (role: string) => `role:${role}`, uid: 'acme-7', now: new Date('2026-12-07T10:00:00.123Z') };

describe('a directory card as a vCard', () => {
  it('writes vCard 4.0 with CRLF lines, escaped text and tel/sip URIs, and reads back the same', () => {
    const text = contactVcard(contact, context);
    expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCARD\r\n')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('TEL;TYPE=work,voice;VALUE=uri:tel:+49301234567');
    expect(text).toContain('TEL;TYPE=cell,voice;VALUE=uri:tel:+491711234567');
    expect(text).toContain('IMPP;TYPE=work:sip:joerg@pbx.acme.test');
    expect(text).toContain('ORG:Acme\\; Service GmbH');
    expect(text).toContain('TITLE:Hotline; 2nd level\\, Netze');
    expect(text).toContain('CATEGORIES:1st level,Netz\\, Telefon');
    expect(text).toContain('N:Berg;Jörg van der;;;');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);
    const parsed = new ICAL.Component(ICAL.parse(text));
    expect(parsed.getFirstPropertyValue('fn')).toBe('Jörg van der Berg');
    expect(parsed.getFirstPropertyValue('title')).toBe('Hotline; 2nd level, Netze');
    expect(parsed.getFirstProperty('org')!.getValues()).toEqual([['Acme; Service GmbH']].flat());
    expect(parsed.getAllProperties('lang').map((p) => p.getFirstValue())).toEqual(['de', 'en']);
  });

  it('leaves out what the viewer does not see, and falls back to the role', () => {
    const text = contactVcard({ ...contact, jobTitle: null, email: null, phone: null, mobile: null, sip: null, groups: [], languages: [] }, context);
    expect(text).toContain('TITLE:role:agent');
    for (const name of ['TEL', 'IMPP', 'EMAIL', 'CATEGORIES', 'LANG']) expect(text).not.toContain(`\r\n${name}`);
  });

  it('keeps a line break in a name from starting a property of its own', () => {
    const text = contactVcard({ ...contact, name: 'Eve\r\nTEL:tel:+1900' }, context);
    expect(text).not.toMatch(/\r\nTEL:tel:\+1900/);
  });

  it('names the file with safe characters', () => {
    expect(vcardFilename('Jörg van der Berg')).toBe('Jorg-van-der-Berg.vcf');
    expect(vcardFilename('"../..";')).toBe('contact.vcf');
  });
});
