import { describe, expect, it } from 'vitest';
import { normalisePhone, phoneKeys } from './phone-number.js';

const e164 = (raw: string, country: string) => {
  const number = normalisePhone(raw, country);
  return number.kind === 'e164' ? number.value : null;
};

describe('phone numbers from a PBX to E.164', () => {
  it.each([
    ['+49 30 1234567', '+49301234567'], ['+49 (0)30 123-4567', '+49301234567'], ['0049 30 1234567', '+49301234567'], ['030/1234567', '+49301234567'],
    ['030 12345678-0', '+4930123456780'], ['493055571600', '+493055571600'], ['sip:+4930123456@pbx.example.net', '+4930123456'], ['tel:+1-212-555-0100', '+12125550100'],
    ['sips:030123456@pbx;user=phone', '+4930123456'], ['+43 1 5321234', '+4315321234'], ['00 41 44 668 18 00', '+41446681800'], ['0221.4710334', '+492214710334'],
  ])('%s → %s', (raw, expected) => {
    expect(e164(raw, 'DE')).toBe(expected);
  });

  it('reads national numbers with the tenant\'s phone country (core\'s setting)', () => {
    expect(e164('01 5321234', 'AT')).toBe('+4315321234');
    expect(e164('044 668 18 00', 'CH')).toBe('+41446681800');
    expect(e164('044 668 18 00', 'DE')).toBe('+49446681800');
    expect(e164('12125550100', 'AT')).toBe('+12125550100');
  });

  it('tells extensions, withheld and broken numbers apart', () => {
    expect(normalisePhone('21', 'DE')).toEqual({ kind: 'extension', value: '21' });
    expect(normalisePhone('sip:21@pbx.example.net', 'DE')).toEqual({ kind: 'extension', value: '21' });
    expect(normalisePhone('anonymous', 'DE').kind).toBe('unknown');
    expect(normalisePhone('', 'DE').kind).toBe('unknown');
    expect(normalisePhone('+49', 'DE').kind).toBe('unknown');
    expect(normalisePhone('+4930123456789012345', 'DE').kind).toBe('unknown');
    expect(normalisePhone('1234567', 'DE').kind).toBe('unknown');
    expect(normalisePhone('+0 30 1234', 'DE').kind).toBe('unknown');
  });

  it('names the stored forms of a number as the index keeps them', () => {
    expect(phoneKeys('+49301234567', 'DE')).toEqual(['0049301234567', '00490301234567', '49301234567', '0301234567']);
    expect(phoneKeys('+4315321234', 'DE')).toEqual(['004315321234', '0043015321234', '4315321234']);
    expect(phoneKeys('+4315321234', 'AT')).toEqual(['004315321234', '0043015321234', '4315321234', '015321234']);
    expect(phoneKeys('+12125550100', 'US')).toEqual(['0012125550100', '00102125550100', '12125550100', '02125550100']);
    expect(phoneKeys('not a number', 'DE')).toEqual([]);
  });
});
