import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from './client-address.js';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('client address behind proxies', () => {
  const proxies = parseTrustedProxies('127.0.0.1, 10.0.0.0/8 ::1 fd00::/8');

  it('believes forwarding headers only from a trusted proxy', () => {
    const forged = headers({ 'x-forwarded-for': '1.2.3.4' });
    expect(clientAddress('203.0.113.9', forged, proxies)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', forged, proxies)).toBe('1.2.3.4');
    expect(clientAddress('::ffff:127.0.0.1', forged, proxies)).toBe('1.2.3.4');
    // Nobody trusted: the socket's peer, whatever the headers say.
    expect(clientAddress('127.0.0.1', forged, parseTrustedProxies(''))).toBe('127.0.0.1');
    expect(clientAddress(undefined, forged, parseTrustedProxies(''))).toBe('unknown');
  });

  it('walks the chain from the right, skipping trusted hops, and does not believe what the client wrote further left', () => {
    const chain = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.1.2.3' });
    expect(clientAddress('10.0.0.5', chain, proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', headers({ 'x-forwarded-for': '10.9.9.9, 10.1.1.1' }), proxies)).toBe('10.9.9.9');
    expect(clientAddress('10.0.0.5', headers({ 'x-forwarded-for': 'garbage, 198.51.100.7' }), proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', headers({ 'x-forwarded-for': '198.51.100.7, garbage' }), proxies)).toBe('10.0.0.5');
    expect(clientAddress('::1', headers({ 'x-forwarded-for': '2001:db8::5' }), proxies)).toBe('2001:db8::5');
  });

  it('reads the standard Forwarded header when X-Forwarded-For is absent', () => {
    expect(clientAddress('127.0.0.1', headers({ forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' }), proxies)).toBe('192.0.2.60');
    expect(clientAddress('127.0.0.1', headers({ forwarded: 'for="[2001:db8:cafe::17]:4711"' }), proxies)).toBe('2001:db8:cafe::17');
    expect(clientAddress('127.0.0.1', headers({ forwarded: 'for=192.0.2.43:1234, for=10.0.0.2' }), proxies)).toBe('192.0.2.43');
  });

  it('refuses a list entry that is no address or range, naming it', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.local')).toThrow('"proxy.local" is not an IP address or CIDR range');
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('"10.0.0.0/33" has no valid prefix length');
    expect(() => parseTrustedProxies('10.0.0.0/8/1')).toThrow('is not an IP address');
    expect(parseTrustedProxies(' ').entries).toEqual([]);
  });
});
