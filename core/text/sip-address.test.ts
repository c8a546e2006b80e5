import { describe, expect, it } from 'vitest';
import { sipDisplay, toSipUri } from './sip-address.js';

describe('SIP addresses', () => {
  it('writes what people type as a sip: URI', () => {
    expect(toSipUri('anna@pbx.example.com')).toBe('sip:anna@pbx.example.com');
    expect(toSipUri('SIP:Anna@PBX.Example.com')).toBe('sip:Anna@pbx.example.com');
    expect(toSipUri('sips:201@10.0.0.5:5061')).toBe('sips:201@10.0.0.5:5061');
    expect(toSipUri(' +4930123@voip.example.de ')).toBe('sip:+4930123@voip.example.de');
    expect(sipDisplay('sips:201@10.0.0.5:5061')).toBe('201@10.0.0.5:5061');
  });

  it('refuses what is none, and nothing that could break out of a link', () => {
    for (const text of ['', 'anna', '@pbx.example.com', 'anna@', 'anna@localhost', 'anna@pbx.example.com:70000', 'a b@x.de',
      'anna@x.de"><script>', 'javascript:alert(1)@x.de', 'anna@-x.de', 'anna@x.de@y.de', `${'a'.repeat(200)}@x.de`, 'tel:+4930@x.de:']) {
      expect(toSipUri(text), text).toBeNull();
    }
  });
});
