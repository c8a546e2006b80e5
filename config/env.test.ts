import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseEnv } from './env.js';

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


describe('S3 attachment storage settings', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'tresen-env-'));
  it('are off without S3_BUCKET, and take the AWS endpoint of the region by default', () => {
    expect(loadConfig({ DATA_DIR: dir(), SECRET: 'x'.repeat(40) }).s3).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir(), SECRET: 'x'.repeat(40), S3_BUCKET: 'tresen-files', S3_REGION: 'eu-central-1', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' }).s3)
      .toEqual({ endpoint: 'https://s3.eu-central-1.amazonaws.com', bucket: 'tresen-files', region: 'eu-central-1', accessKeyId: 'AK', secretAccessKey: 'SK', prefix: '' });
    expect(loadConfig({ DATA_DIR: dir(), SECRET: 'x'.repeat(40), S3_BUCKET: 'b12', S3_ENDPOINT: 'http://minio:9000/', S3_PREFIX: 'tresen/', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' }).s3)
      .toMatchObject({ endpoint: 'http://minio:9000', prefix: 'tresen/' });
  });

  it('refuse half a configuration with one line saying what is missing', () => {
    expect(() => loadConfig({ DATA_DIR: dir(), S3_ENDPOINT: 'http://minio:9000' })).toThrow('S3_ENDPOINT is set but S3_BUCKET is not');
    expect(() => loadConfig({ DATA_DIR: dir(), S3_BUCKET: 'tresen' })).toThrow('S3_BUCKET needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
    expect(() => loadConfig({ DATA_DIR: dir(), S3_BUCKET: 'Not_A_Bucket', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' })).toThrow(/^S3_BUCKET: expected an S3 bucket name/);
    expect(() => loadConfig({ DATA_DIR: dir(), S3_BUCKET: 'tresen', S3_PREFIX: '/abs', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' })).toThrow(/^S3_PREFIX/);
  });
});
