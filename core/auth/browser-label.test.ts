import { describe, expect, it } from 'vitest';
import { browserLabel } from './browser-label.js';

describe('browserLabel', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome · Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge · Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox · Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'Safari · iOS'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari · macOS'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', 'Samsung Internet · Android'],
    ['curl/8.5.0', 'curl'],
  ])('names %s', (ua, label) => {
    expect(browserLabel(ua)).toBe(label);
  });

  it('shortens an unknown header and has nothing for none', () => {
    expect(browserLabel('SomeMonitoringAgent/1.0 (+https://example.com/a-very-long-explanation)')).toBe('SomeMonitoringAgent/1.0 (+https://examp…');
    expect(browserLabel('Bot/1')).toBe('Bot/1');
    expect(browserLabel(null)).toBeNull();
    expect(browserLabel('')).toBeNull();
  });
});
