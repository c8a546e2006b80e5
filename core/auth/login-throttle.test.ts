import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createLoginThrottle, signInKeys } from './login-throttle.js';

describe.each(dialects)('sign-in throttle on %s', (dialect) => {
  let database: TestDatabase;
  let now = new Date('2026-12-06T10:00:00.000Z');
  beforeAll(async () => { database = await createTestDatabase(dialect); });
  afterAll(() => database.cleanup());
  const throttle = () => createLoginThrottle(database.db, () => now);
  const failuresOf = async (key: string) => (await database.db.selectFrom('login_attempts').select('failures').where('key', '=', key).executeTakeFirst())?.failures;

  it('counts failures that arrive at once exactly, without an error', async () => {
    const keys = signInKeys('account', 'acme:burst@acme.test', '192.0.2.1');
    await Promise.all(Array.from({ length: 9 }, () => throttle().recordFailure(keys)));
    expect(await failuresOf(keys[0])).toBe(9);
    expect(await failuresOf(keys[1])).toBe(9);
    // Nine on the account from this address: four over the five free ones, so 8 s to wait; the address still has 11 free.
    expect(await throttle().retryAfter([keys[0]])).toBe(8000);
    expect(await throttle().retryAfter([keys[1]])).toBe(0);
  });

  it('slows the account only at the attacking address; the address alone after twenty failures', async () => {
    const attacker = signInKeys('account', 'acme:owner@acme.test', '198.51.100.66');
    for (let i = 0; i < 25; i++) await throttle().recordFailure(attacker);
    expect(await throttle().retryAfter(attacker)).toBeGreaterThan(0);
    const owner = signInKeys('account', 'acme:owner@acme.test', '203.0.113.10');
    expect(await throttle().retryAfter(owner)).toBe(0);
    // Another account from the attacking address waits for the address.
    expect(await throttle().retryAfter(signInKeys('account', 'acme:other@acme.test', '198.51.100.66'))).toBe(16_000);
  });

  it('clears the account-from-address count on success, never the address count, and starts afresh after the window', async () => {
    const keys = signInKeys('account', 'acme:clear@acme.test', '192.0.2.50');
    for (let i = 0; i < 6; i++) await throttle().recordFailure(keys);
    await throttle().recordSuccess(keys);
    expect(await failuresOf(keys[0])).toBeUndefined();
    expect(await failuresOf(keys[1])).toBe(6);
    now = new Date(now.getTime() + 16 * 60 * 1000);
    await throttle().recordFailure(keys);
    expect(await failuresOf(keys[1])).toBe(1);
  });
});
