import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../core/project-root.js';
import { DEFAULT_API_RATE_LIMITS, type ApiRateLimits } from '../core/api/api-rate-limit.js';
import { parseTrustedProxies } from '../core/http/client-address.js';
import type { S3Settings } from '../core/files/s3-blob-store.js';

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const smtpUrl = z.string().regex(/^smtps?:\/\/.+/, 'an smtp:// or smtps:// URL');

export const envSchema = z.object({
  PORT: z.coerce.number({ error: 'a port number from 1 to 65535' }).int().min(1, 'a port number from 1 to 65535').max(65535, 'a port number from 1 to 65535').default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'sqlite:<path> or postgres://user:password@host:port/database').optional(),
  BASE_URL: z.url({ error: 'an absolute http(s) URL such as https://help.example.com' }).optional(),
  SECRET: z.string().min(32, 'at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  SMTP_URL: smtpUrl.optional(),
  SMTP_FROM: z.email({ error: 'an e-mail address' }).default('tresen@localhost'),
  TRESEN_ADMIN_EMAIL: z.email({ error: 'an e-mail address' }).optional(),
  TRESEN_ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').optional(),
  TRESEN_DEMO: booleanFlag.default(true),
  TRESEN_API_RATE_LIMIT: z.coerce.number({ error: 'a whole number of requests per minute, at least 1' }).int().min(1, 'a whole number of requests per minute, at least 1').default(DEFAULT_API_RATE_LIMITS.perToken),
  TRUSTED_PROXIES: z.string().refine((value) => {
    try {
      parseTrustedProxies(value);
      return true;
    } catch {
      return false;
    }
  }, 'a comma-separated list of IP addresses and CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8').optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lower-case letters, digits, dots, dashes)').optional(),
  S3_ENDPOINT: z.url({ error: 'the S3 API URL, e.g. https://s3.eu-central-1.amazonaws.com or http://minio:9000' }).optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]{2,40}$/, 'a region such as eu-central-1').default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, 'empty or folder names ending in /, e.g. tresen/').default(''),
  TRESEN_API_AUTH_FAILURE_LIMIT: z.coerce.number({ error: 'a whole number of failures per minute, at least 1' }).int().min(1, 'a whole number of failures per minute, at least 1').default(DEFAULT_API_RATE_LIMITS.authFailuresPerIp),
});

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  baseUrl: string | undefined;
  secret: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  smtpUrl: string | undefined;
  smtpFrom: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  /** scrypt cost exponent: 17 in production (OWASP); tests lower it to stay fast. */
  scryptLogN: number;
  version: string;
  /** Reverse proxies whose X-Forwarded-For/Forwarded headers are believed (addresses and CIDR ranges); empty: none. */
  trustedProxies: readonly string[];
  /** REST API budgets: requests per token and failed bearer sign-ins per address, per window. */
  apiRateLimits: ApiRateLimits;
  /** Attachment bytes in an S3-compatible bucket instead of DATA_DIR/files (S3_* variables). */
  s3?: S3Settings;
}

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable and what it expects. */
export function parseEnv(env: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    const expected = issue.message.replace(/^Invalid (input|option): expected /, '').replace(/"\|"/g, '", "');
    throw new ConfigError(`${name}: expected ${expected} (got "${cleaned[name] ?? ''}")`);
  }
  return result.data;
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The instance secret signs links and encrypts stored passwords: generated once and kept in DATA_DIR. */
function loadOrCreateSecret(dataDir: string, create: boolean): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!create) return '';
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The configuration from the environment. `createSecret: false` (restore) leaves DATA_DIR untouched:
 * without SECRET and without DATA_DIR/secret the secret is then empty.
 */
/** The S3 settings when S3_BUCKET is set; the other S3 variables alone are a mistake worth saying. */
function s3Settings(parsed: z.infer<typeof envSchema>): S3Settings | undefined {
  if (!parsed.S3_BUCKET) {
    const stray = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find((name) => parsed[name] !== undefined);
    if (stray) throw new ConfigError(`${stray} is set but S3_BUCKET is not: set S3_BUCKET to keep attachments in a bucket, or remove ${stray}`);
    return undefined;
  }
  if (!parsed.S3_ACCESS_KEY_ID || !parsed.S3_SECRET_ACCESS_KEY) throw new ConfigError('S3_BUCKET needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  return {
    endpoint: (parsed.S3_ENDPOINT ?? `https://s3.${parsed.S3_REGION}.amazonaws.com`).replace(/\/+$/, ''),
    bucket: parsed.S3_BUCKET, region: parsed.S3_REGION, accessKeyId: parsed.S3_ACCESS_KEY_ID, secretAccessKey: parsed.S3_SECRET_ACCESS_KEY, prefix: parsed.S3_PREFIX,
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env, options: { createSecret?: boolean } = {}): AppConfig {
  const parsed = parseEnv(env);
  const dataDir = resolve(parsed.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir,
    databaseUrl: parsed.DATABASE_URL ?? `sqlite:${join(dataDir, 'tresen.db')}`,
    baseUrl: parsed.BASE_URL?.replace(/\/$/, ''),
    secret: parsed.SECRET ?? loadOrCreateSecret(dataDir, options.createSecret ?? true),
    logLevel: parsed.LOG_LEVEL,
    smtpUrl: parsed.SMTP_URL,
    smtpFrom: parsed.SMTP_FROM,
    adminEmail: parsed.TRESEN_ADMIN_EMAIL?.toLowerCase(),
    adminPassword: parsed.TRESEN_ADMIN_PASSWORD,
    demo: parsed.TRESEN_DEMO,
    scryptLogN: 16,
    version: readVersion(),
    trustedProxies: parseTrustedProxies(parsed.TRUSTED_PROXIES).entries,
    ...(s3Settings(parsed) ? { s3: s3Settings(parsed)! } : {}),
    apiRateLimits: { perToken: parsed.TRESEN_API_RATE_LIMIT, authFailuresPerIp: parsed.TRESEN_API_AUTH_FAILURE_LIMIT, windowMs: DEFAULT_API_RATE_LIMITS.windowMs },
  };
}
