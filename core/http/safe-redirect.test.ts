import { describe, expect, it } from 'vitest';
import { safeLocalPath, sameOriginPath } from './safe-redirect.js';

// Known ways to smuggle another host past a "starts with /" check, as browsers' URL parsers read them.
const BYPASSES = [
  '//evil.example/x', '///evil.example', '////evil.example', '/\\evil.example', '/\\/evil.example', '\\\\evil.example',
  '/\t/evil.example/', '/\n/evil.example', '/\r\n/evil.example', '\t//evil.example', ' //evil.example', '/%09/evil.example',
  'https://evil.example', 'http:evil.example', 'javascript:alert(1)', 'data:text/html,x', 'evil.example', '',
  '/\u0000/evil.example', '/x\u0085y', '/ok\r\nSet-Cookie: a=b',
];

describe('redirect targets', () => {
  it('refuses every known bypass and anything that is not a path on this site', () => {
    for (const target of BYPASSES) {
      const result = safeLocalPath(target);
      // Whatever comes back (only an encoded, harmless path) never starts with two slashes or names another host.
      if (result !== undefined) expect(result, JSON.stringify(target)).toMatch(/^\/(?!\/)/);
      expect(result === undefined || !result.includes('evil.example') || result.startsWith('/%'), JSON.stringify(target)).toBe(true);
    }
    expect(safeLocalPath('/\t/evil.example/')).toBeUndefined();
    expect(safeLocalPath('/ok\r\nSet-Cookie: a=b')).toBeUndefined();
    expect(safeLocalPath(undefined)).toBeUndefined();
    expect(safeLocalPath(`/${'a'.repeat(2001)}`)).toBeUndefined();
  });

  it('keeps a local path with its query and fragment, normalised', () => {
    expect(safeLocalPath('/t/acme/desk/tickets?queue=all&q=drucker#top')).toBe('/t/acme/desk/tickets?queue=all&q=drucker#top');
    expect(safeLocalPath('/t/acme/portal/../desk')).toBe('/t/acme/desk');
    expect(safeLocalPath('/t/acme/p/x?a=%2F%2Fevil.example')).toBe('/t/acme/p/x?a=%2F%2Fevil.example');
    // An encoded slash stays part of one path segment: the browser asks this site for it.
    expect(safeLocalPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
  });

  it('takes a Referer only from this origin, and never returns a protocol-relative path', () => {
    const origin = 'http://tresen.test';
    expect(sameOriginPath('http://tresen.test/t/acme/desk?x=1', origin)).toBe('/t/acme/desk?x=1');
    expect(sameOriginPath('http://tresen.test//evil.example/x', origin)).toBe('/evil.example/x');
    expect(sameOriginPath('http://evil.example/t/acme/desk', origin)).toBeUndefined();
    expect(sameOriginPath('not a url', origin)).toBeUndefined();
    expect(sameOriginPath('http://tresen.test:8080/x', origin)).toBeUndefined();
    expect(sameOriginPath(undefined, origin)).toBeUndefined();
  });
});
