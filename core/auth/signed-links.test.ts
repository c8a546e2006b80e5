import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../tenancy/tenant-service.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createSignedLinks, LinkError } from './signed-links.js';

const SECRET = 'a test instance secret of some length';
const reasonOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (error instanceof LinkError ? error.reason : String(error)));

describe.each(dialects)('short links on %s', (dialect) => {
  let database: TestDatabase;
  let now = new Date('2026-12-07T10:00:00Z');
  let links: ReturnType<typeof createSignedLinks>;
  let tenantId: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    tenantId = (await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' })).id;
    links = createSignedLinks(database.db, SECRET, () => now);
  });
  afterAll(() => database.cleanup());

  it('hands out an opaque token of 32 characters that opens what it was signed for, and only that', async () => {
    const token = await links.sign({ purpose: 'portal-request', subject: '17', tenantId, ttlSeconds: 3600, extra: { number: 'T-1001' } });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const claims = await links.verify(token, 'portal-request');
    expect(claims).toMatchObject({ purpose: 'portal-request', subject: '17', tenantId, extra: { number: 'T-1001' } });
    // Nothing of it is readable in the link, and the table holds only its hash.
    expect(token).not.toContain('T-1001');
    const rows = await database.db.selectFrom('link_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(await reasonOf(links.verify(token, 'password-reset'))).toBe('invalid');
    expect(await reasonOf(links.verify(`${token.slice(0, 31)}${token[31] === 'A' ? 'B' : 'A'}`, 'portal-request'))).toBe('invalid');
    expect(await reasonOf(links.verify('not a token', 'portal-request'))).toBe('invalid');
    expect(await reasonOf(links.verify('a.b.c', 'portal-request'))).toBe('invalid');
    // Two signings are two links.
    expect(await links.sign({ purpose: 'portal-request', subject: '17', tenantId, ttlSeconds: 3600 })).not.toBe(token);
  });

  it('refuses an expired link as expired and a spent single-use link as used', async () => {
    const token = await links.sign({ purpose: 'password-reset', subject: '5', tenantId: null, ttlSeconds: 600 });
    const claims = await links.verify(token, 'password-reset');
    expect(await links.spend(claims, new Date(now.getTime() + 600_000))).toBe(true);
    expect(await links.spend(claims, new Date(now.getTime() + 600_000))).toBe(false);
    expect(await reasonOf(links.verify(token, 'password-reset'))).toBe('used');
    const later = await links.sign({ purpose: 'password-reset', subject: '6', tenantId: null, ttlSeconds: 600 });
    now = new Date(now.getTime() + 601_000);
    expect(await reasonOf(links.verify(later, 'password-reset'))).toBe('expired');
  });

  it('gives a stable link the same token each time and keeps it alive by signing it again', async () => {
    const sign = () => links.sign({ purpose: 'calendar-feed', subject: '3', tenantId, ttlSeconds: 3600, extra: { feed: 'sla.on-call' }, stable: true });
    const first = await sign();
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    now = new Date(now.getTime() + 3000_000);
    expect(await sign()).toBe(first);
    now = new Date(now.getTime() + 3000_000);
    // Past the first signing's hour, within the second's.
    expect((await links.verify(first, 'calendar-feed')).subject).toBe('3');
    // Another person's feed is another token.
    expect(await links.sign({ purpose: 'calendar-feed', subject: '4', tenantId, ttlSeconds: 3600, extra: { feed: 'sla.on-call' }, stable: true })).not.toBe(first);
  });

  it('still opens a link signed before the short tokens (a JWT with the same secret) until it expires', async () => {
    const key = new TextEncoder().encode(`tresen-links:${SECRET}`);
    const at = Math.floor(now.getTime() / 1000);
    const jwt = await new SignJWT({ pur: 'survey', tid: tenantId, ext: { ticket: 9 } }).setProtectedHeader({ alg: 'HS256' })
      .setSubject('12').setJti('legacy-1').setIssuedAt(at).setExpirationTime(at + 60).sign(key);
    expect(await links.verify(jwt, 'survey')).toMatchObject({ subject: '12', tenantId, extra: { ticket: 9 } });
    expect(await reasonOf(links.verify(jwt, 'portal-request'))).toBe('invalid');
    now = new Date(now.getTime() + 61_000);
    expect(await reasonOf(links.verify(jwt, 'survey'))).toBe('expired');
  });
});
