import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const PARALLELISM = 2;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * scrypt with one of OWASP's equivalent parameter sets, N=2^16, r=8, p=2: the same work as
 * N=2^17, p=1 in half the memory (64 MiB per hash), which keeps sign-in peaks inside the RSS
 * budget. The parameters travel in the hash, so older hashes verify and they can be raised later.
 */
export async function hashPassword(password: string, logN = 16): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** logN;
  const key = await scrypt(password, salt, { N, r: 8, p: PARALLELISM, maxmem: 256 * N * 8 });
  return `scrypt$${logN}$8$${PARALLELISM}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
  const N = 2 ** Number(logN);
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Passwords we accept: long enough to matter, short enough not to be a denial-of-service vector. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
