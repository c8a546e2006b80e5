import { describe, expect, it } from 'vitest';
import { countryCodeOf, displayPhone, normalisePhone, phoneKeys, toE164 } from './phone-number.js';

describe('phone numbers to E.164', () => {
  it.each([
    ['+49 30 1234567', '+49301234567'], ['+49 (0)30 123-4567', '+49301234567'], ['0049 30 1234567', '+49301234567'], ['030/1234567', '+49301234567'],
    ['030 12345678-0', '+4930123456780'], ['493055571600', '+493055571600'], ['sip:+4930123456@pbx.example.net', '+4930123456'], ['tel:+1-212-555-0100', '+12125550100'],
    ['+43 1 5321234', '+4315321234'], ['00 41 44 668 18 00', '+41446681800'], ['0221.4710334', '+492214710334'],
  ])('%s → %s', (raw, e164) => {
    expect(toE164(raw, '49')).toBe(e164);
  });

  it('reads national numbers with the tenant\'s country', () => {
    expect(toE164('01 5321234', '43')).toBe('+4315321234');
    expect(toE164('0212 555 0100', '1')).toBe('+12125550100');
  });

  it('tells extensions, withheld and broken numbers apart', () => {
    expect(normalisePhone('21', '49')).toEqual({ kind: 'extension', value: '21' });
    expect(normalisePhone('anonymous', '49').kind).toBe('unknown');
    expect(normalisePhone('', '49').kind).toBe('unknown');
    expect(normalisePhone('+49', '49').kind).toBe('unknown');
    expect(normalisePhone('+4930123456789012345', '49').kind).toBe('unknown');
    expect(normalisePhone('1234567', '49').kind).toBe('unknown');
    expect(normalisePhone('+0 30 1234', '49').kind).toBe('unknown');
  });

  it('splits country codes of one, two and three digits', () => {
    expect(countryCodeOf('12125550100')).toBe('1');
    expect(countryCodeOf('74951234567')).toBe('7');
    expect(countryCodeOf('49301234567')).toBe('49');
    expect(countryCodeOf('35312345678')).toBe('353');
    expect(displayPhone('+49301234567')).toBe('+49 301234567');
  });

  it('names the stored forms of a number as the index keeps them', () => {
    expect(phoneKeys('+49301234567', '49')).toEqual(['0049301234567', '00490301234567', '49301234567', '0301234567']);
    expect(phoneKeys('+4315321234', '49')).toEqual(['004315321234', '0043015321234', '4315321234']);
  });
});
