import { describe, expect, it } from 'vitest';
import { initials } from '../routes/desk/directory-views.js';
import { effectiveAvailability } from './directory-contacts.js';
import { parseFields } from './directory-fields.js';

describe('a directory card\'s availability', () => {
  it('is the own setting; an on-call shift makes available and off duty available, busy and away stay', () => {
    expect(['available', 'busy', 'away', 'off'].map((own) => effectiveAvailability(own, false))).toEqual(['available', 'busy', 'away', 'off']);
    expect(['available', 'busy', 'away', 'off'].map((own) => effectiveAvailability(own, true))).toEqual(['available', 'busy', 'away', 'available']);
    expect(effectiveAvailability('sleeping', false)).toBe('available');
  });

  it('reads stored portal fields in a fixed order, unknown ones dropped', () => {
    expect(parseFields('phone, availability,secret,photo')).toEqual(['photo', 'phone', 'availability']);
    expect(parseFields('')).toEqual([]);
  });

  it('shows up to two initials from the words that start with a letter', () => {
    expect(initials('Lena Langename-Schmidt-Rüdiger')).toBe('LL');
    expect(initials('Eva Einstellung 2')).toBe('EE');
    expect(initials('Özlem')).toBe('Ö');
    expect(initials('  ')).toBe('?');
    expect(initials('42')).toBe('4');
  });
});
