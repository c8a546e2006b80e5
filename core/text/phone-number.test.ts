import { describe, expect, it } from 'vitest';
import { callingCode, countryOfCallingCode, formatPhone, isE164, isPhoneCountry, parsePhone, phoneCountries, splitE164, telUri, toE164 } from './phone-number.js';

describe('phone numbers in E.164', () => {
  it('reads national numbers with the default country and international ones as they are', () => {
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
    expect(toE164('(0171) 123 45 67', 'DE')).toBe('+491711234567');
    expect(toE164('0049 30 1234567', 'DE')).toBe('+49301234567');
    expect(toE164('+49 (0)30 1234567', 'AT')).toBe('+49301234567');
    expect(toE164('01 5354 000', 'AT')).toBe('+4315354000');
    expect(toE164('044 668 18 00', 'CH')).toBe('+41446681800');
    expect(toE164('+44 20 7946 0958', 'DE')).toBe('+442079460958');
    // The same digits in another country's plan are another number.
    expect(toE164('030 1234567', 'AT')).not.toBe('+49301234567');
  });

  it('refuses what is no possible number', () => {
    for (const text of ['', '   ', 'abc', '12', '+49 1', '+999 123456', '1'.repeat(41), 'call me']) expect(toE164(text, 'DE'), text).toBeNull();
    // Without a usable default country only international numbers are read.
    expect(toE164('030 1234567', 'XX')).toBeNull();
    expect(toE164('+49 30 1234567', 'XX')).toBe('+49301234567');
  });

  it('keeps an extension apart from the number', () => {
    expect(parsePhone('+44 20 7946 0958 ext. 12', 'DE')).toEqual({ e164: '+442079460958', extension: '12', country: 'GB' });
    expect(parsePhone('030 1234567', 'DE')).toEqual({ e164: '+49301234567', extension: null, country: 'DE' });
  });

  it('makes tel: links and readable groups only from E.164', () => {
    expect(telUri('+49301234567')).toBe('tel:+49301234567');
    expect(telUri('030 1234567')).toBeNull();
    expect(telUri('+49301234567"><script>')).toBeNull();
    expect(formatPhone('+49301234567')).toBe('+49 30 1234567');
    expect(formatPhone('not a number')).toBe('not a number');
    expect(isE164('+4930')).toBe(true);
    expect(isE164('+0301234')).toBe(false);
  });

  it('knows the countries of the metadata', () => {
    expect(isPhoneCountry('DE')).toBe(true);
    expect(isPhoneCountry('de')).toBe(false);
    expect(isPhoneCountry('XX')).toBe(false);
    expect(phoneCountries()).toContain('CH');
    expect(callingCode('AT')).toBe('+43');
    expect(callingCode('XX')).toBeNull();
  });

  it('splits E.164 into calling code and national number (one, two and three digit codes)', () => {
    expect(splitE164('+12125550100')).toEqual({ callingCode: '1', national: '2125550100' });
    expect(splitE164('+74951234567')).toEqual({ callingCode: '7', national: '4951234567' });
    expect(splitE164('+49301234567')).toEqual({ callingCode: '49', national: '301234567' });
    expect(splitE164('+35312345678')).toEqual({ callingCode: '353', national: '12345678' });
    expect(splitE164('+390612345678')).toEqual({ callingCode: '39', national: '0612345678' });
    expect(splitE164('0301234567')).toBeNull();
    expect(splitE164('+0301234567')).toBeNull();
  });

  it('names the main country of a calling code', () => {
    expect(countryOfCallingCode('49')).toBe('DE');
    expect(countryOfCallingCode('43')).toBe('AT');
    expect(countryOfCallingCode('1')).toBe('US');
    expect(countryOfCallingCode('44')).toBe('GB');
    expect(countryOfCallingCode('7')).toBe('RU');
    expect(countryOfCallingCode('999')).toBeNull();
    expect(countryOfCallingCode('+49')).toBeNull();
  });
});
