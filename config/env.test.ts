import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './env.js';

describe('environment: REST API limits', () => {
  it('default to 600 requests and 30 failed sign-ins per minute, and take whole numbers from the environment', () => {
    expect(parseEnv({})).toMatchObject({ TRESEN_API_RATE_LIMIT: 600, TRESEN_API_AUTH_FAILURE_LIMIT: 30 });
    expect(parseEnv({ TRESEN_API_RATE_LIMIT: '120', TRESEN_API_AUTH_FAILURE_LIMIT: '5' })).toMatchObject({ TRESEN_API_RATE_LIMIT: 120, TRESEN_API_AUTH_FAILURE_LIMIT: 5 });
  });

  it('refuses a bad value with one line naming the variable', () => {
    expect(() => parseEnv({ TRESEN_API_RATE_LIMIT: '0' })).toThrow(ConfigError);
    expect(() => parseEnv({ TRESEN_API_RATE_LIMIT: 'lots' })).toThrow(/^TRESEN_API_RATE_LIMIT: expected a whole number of requests per minute, at least 1 \(got "lots"\)$/);
    expect(() => parseEnv({ TRESEN_API_AUTH_FAILURE_LIMIT: '1.5' })).toThrow(/^TRESEN_API_AUTH_FAILURE_LIMIT: /);
  });
});

describe('environment: trusted proxies', () => {
  it('takes addresses and CIDR ranges, none by default', () => {
    expect(parseEnv({}).TRUSTED_PROXIES).toBeUndefined();
    expect(parseEnv({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8 ::1' }).TRUSTED_PROXIES).toBe('127.0.0.1, 10.0.0.0/8 ::1');
  });

  it('refuses a host name or a bad range with one line naming the variable', () => {
    expect(() => parseEnv({ TRUSTED_PROXIES: 'proxy.local' })).toThrow(/^TRUSTED_PROXIES: expected a comma-separated list of IP addresses and CIDR ranges/);
    expect(() => parseEnv({ TRUSTED_PROXIES: '10.0.0.0/40' })).toThrow(ConfigError);
  });
});

