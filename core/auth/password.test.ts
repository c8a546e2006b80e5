import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('verifies the right password only, with the parameters kept in the hash', async () => {
    const stored = await hashPassword('correct horse battery', 10);
    expect(stored).toMatch(/^scrypt\$10\$8\$2\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', stored.replace(/.(?=.{4}$)/, (c) => (c === 'A' ? 'B' : 'A')))).resolves.toBe(false);
    await expect(verifyPassword('x', null)).resolves.toBe(false);
    await expect(verifyPassword('x', 'bcrypt$whatever')).resolves.toBe(false);
  });

  it('still verifies hashes made with other parameters (p=1)', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('old password 123'.normalize('NFKC'), salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    const legacy = `scrypt$10$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    await expect(verifyPassword('old password 123', legacy)).resolves.toBe(true);
  });

  it('uses 64 MiB per hash by default (N=2^16, r=8, p=2)', async () => {
    expect(await hashPassword('some long password', undefined)).toMatch(/^scrypt\$16\$8\$2\$/);
  });
});
