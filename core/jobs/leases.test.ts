import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createLeases } from './leases.js';

describe.each(dialects)('leases on %s', (dialect) => {
  let database: TestDatabase;
  let now: Date;
  const clock = () => now;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    now = new Date('2026-12-06T08:00:00Z');
  });
  afterEach(() => database.cleanup());

  it('one of several contenders wins; the holder renews; another takes over only once it expired', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((owner) => createLeases(database.db, clock, { owner, ttlMs: 30_000 })) as [ReturnType<typeof createLeases>, ReturnType<typeof createLeases>, ReturnType<typeof createLeases>];
    const won = await Promise.all([a, b, c].map((l) => l.acquire('mailbox:1')));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = [a, b, c][won.indexOf(true)]!;
    const other = [a, b, c].find((l) => l !== holder)!;
    expect(await other.renew('mailbox:1')).toBe(false);
    now = new Date(now.getTime() + 20_000);
    expect(await holder.renew('mailbox:1')).toBe(true);
    now = new Date(now.getTime() + 20_000);
    expect(await other.acquire('mailbox:1')).toBe(false);
    expect(await other.holder('mailbox:1')).toBe(holder.owner);
    now = new Date(now.getTime() + 10_001);
    expect(await other.holder('mailbox:1')).toBeUndefined();
    expect(await other.acquire('mailbox:1')).toBe(true);
    expect(await holder.renew('mailbox:1')).toBe(false);
    await holder.release('mailbox:1');
    expect(await other.holder('mailbox:1')).toBe(other.owner);
    await other.release('mailbox:1');
    expect(await holder.acquire('mailbox:1')).toBe(true);
  });
});
