import { describe, expect, it } from 'vitest';
import { MAX_COPY_ADDRESSES, parseAddressList } from './reply-addresses.js';

describe('CC and BCC address lists', () => {
  it('takes addresses separated by commas, semicolons and lines, with display names, once each', () => {
    expect(parseAddressList(' a@x.test, Bea <b@y.test>;c@z.test\nA@x.test ')).toEqual({ ok: true, addresses: ['a@x.test', 'b@y.test', 'c@z.test'] });
    expect(parseAddressList('')).toEqual({ ok: true, addresses: [] });
    expect(parseAddressList(undefined)).toEqual({ ok: true, addresses: [] });
  });

  it('names the first address that is none, and refuses header injection and too many', () => {
    expect(parseAddressList('a@x.test, not an address')).toEqual({ ok: false, reason: 'invalid', value: 'not an address' });
    expect(parseAddressList('a@x.test\r\nBcc: evil@x.test')).toMatchObject({ ok: false, reason: 'invalid' });
    const many = Array.from({ length: MAX_COPY_ADDRESSES + 1 }, (_, i) => `p${i}@x.test`).join(',');
    expect(parseAddressList(many)).toEqual({ ok: false, reason: 'tooMany', max: MAX_COPY_ADDRESSES });
  });
});
