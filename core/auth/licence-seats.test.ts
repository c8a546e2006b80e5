import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { allSeatUsage, lastDays, saveSeatSettings, seatLevel, seatPeaks, SeatsFullError, seatUsage, type SeatSettings } from './licence-seats.js';

const MINUTE = 60_000;

describe('seat level', () => {
  it('is amber from 90 % and red at the limit, nothing without one', () => {
    expect(seatLevel(3, null)).toBe('none');
    expect(seatLevel(8, 10)).toBe('ok');
    expect(seatLevel(9, 10)).toBe('warn');
    expect(seatLevel(10, 10)).toBe('full');
    expect(seatLevel(12, 10)).toBe('full');
    expect(seatLevel(0, 0)).toBe('full');
  });

  it('lists the last days of the zone, oldest first, across a month end', () => {
    expect(lastDays(new Date('2026-03-01T23:30:00Z'), 'Europe/Berlin', 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(lastDays(new Date('2026-03-01T23:30:00Z'), 'UTC', 2)).toEqual(['2026-02-28', '2026-03-01']);
  });
});

describe.each(dialects)('licence seats on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-11-24T10:00:00Z');
  let acme: number;
  let globex: number;
  const agents: number[] = [];
  const people: number[] = [];
  const settings = (input: Partial<SeatSettings>): SeatSettings => ({ agentSeats: null, portalSeats: null, portalPolicy: 'refuse', windowMinutes: 15, ...input });
  const sessionRows = () => app.services.db.selectFrom('sessions').select(['id', 'user_id', 'person_id']).where('tenant_id', '=', acme).execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [], { clock: () => now });
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    for (const name of ['a1', 'a2', 'a3']) agents.push(await app.createStaff(acme, 'agent', `${name}@acme.test`));
    const scope = tenantScope(app.services.db, acme);
    for (const name of ['p1', 'p2', 'p3']) {
      people.push((await scope.insertInto('people', { name, email: `${name}@customer.test` }).returning('id').executeTakeFirstOrThrow()).id);
    }
  });
  afterAll(() => app.cleanup());

  it('counts distinct people signed in within the window, unlimited while the operator set nothing', async () => {
    const { sessions } = app.services;
    await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    await sessions.create({ tenantId: acme, personId: people[0]! }, {});
    expect(await seatUsage(app.services.db, acme, now)).toMatchObject({ agents: 1, portal: 1, agentSeats: null, portalSeats: null, windowMinutes: 15 });
    expect(await seatUsage(app.services.db, globex, now)).toMatchObject({ agents: 0, portal: 0 });
    expect(await seatUsage(app.services.db, acme, new Date(now.getTime() + 16 * MINUTE))).toMatchObject({ agents: 0, portal: 0 });
  });

  it('refuses an agent beyond the seats without writing a session, lets a seat holder in again, frees idle seats', async () => {
    const { sessions, db } = app.services;
    await saveSeatSettings(db, acme, settings({ agentSeats: 2 }), now);
    await sessions.create({ tenantId: acme, userId: agents[1]! }, {});
    const before = (await sessionRows()).length;
    await expect(sessions.create({ tenantId: acme, userId: agents[2]! }, {})).rejects.toBeInstanceOf(SeatsFullError);
    await expect(sessions.create({ tenantId: acme, userId: agents[2]! }, {})).rejects.toMatchObject({ seatKind: 'agents', seats: 2 });
    expect(await sessionRows()).toHaveLength(before);
    // a1 already holds a seat: a second browser costs nothing.
    await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    expect(await seatUsage(db, acme, now)).toMatchObject({ agents: 2, agentSeats: 2 });
    // Another tenant's seats are its own.
    const globexAgent = await app.createStaff(globex, 'agent', 'g@globex.test');
    await saveSeatSettings(db, globex, settings({ agentSeats: 1 }), now);
    await sessions.create({ tenantId: globex, userId: globexAgent }, {});
    // Twenty minutes without a request: the seats are free again for a3.
    now = new Date(now.getTime() + 20 * MINUTE);
    await sessions.create({ tenantId: acme, userId: agents[2]! }, {});
    expect(await seatUsage(db, acme, now)).toMatchObject({ agents: 1 });
    // The admissions' own counts raised the day's peak (a1 and a2 at once, with p1 on the portal).
    expect(await seatPeaks(db, acme, '2026-11-24', '2026-11-24')).toEqual([{ day: '2026-11-24', agents: 2, portal: 1 }]);
  });

  it('keeps everyone signed in when the seats are lowered below the usage', async () => {
    const { sessions, db } = app.services;
    const tokenA1 = await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    await saveSeatSettings(db, acme, settings({ agentSeats: 1 }), now);
    expect(await seatUsage(db, acme, now)).toMatchObject({ agents: 2, agentSeats: 1 });
    now = new Date(now.getTime() + 2 * MINUTE);
    expect(await sessions.find(tokenA1)).toMatchObject({ user_id: agents[0] });
    await expect(sessions.create({ tenantId: acme, userId: agents[1]! }, {})).rejects.toBeInstanceOf(SeatsFullError);
    await saveSeatSettings(db, acme, settings({}), now);
  });

  it('refuses or lets in portal users beyond their seats as the policy says', async () => {
    const { sessions, db } = app.services;
    now = new Date(now.getTime() + 60 * MINUTE);
    await saveSeatSettings(db, acme, settings({ portalSeats: 1, portalPolicy: 'refuse', agentSeats: 1 }), now);
    expect((await sessions.open({ tenantId: acme, personId: people[0]! }, {})).overLimit).toBe(false);
    await expect(sessions.create({ tenantId: acme, personId: people[1]! }, {})).rejects.toMatchObject({ seatKind: 'portal', seats: 1 });
    // Portal and agent seats are counted apart.
    await sessions.create({ tenantId: acme, userId: agents[1]! }, {});
    await saveSeatSettings(db, acme, settings({ portalSeats: 1, portalPolicy: 'warn' }), now);
    expect((await sessions.open({ tenantId: acme, personId: people[1]! }, {})).overLimit).toBe(true);
    expect(await seatUsage(db, acme, now)).toMatchObject({ portal: 2, portalSeats: 1, portalPolicy: 'warn' });
    await saveSeatSettings(db, acme, settings({}), now);
  });

  it('keeps each tenant day\'s peak in the tenant\'s zone, raised when sessions start or come back', async () => {
    const { sessions, db } = app.services;
    await db.updateTable('tenants').set({ time_zone: 'America/New_York' }).where('id', '=', acme).execute();
    // 03:00 UTC on the 27th is still the 26th in New York.
    now = new Date('2026-11-27T03:00:00Z');
    const t1 = await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    await sessions.create({ tenantId: acme, userId: agents[1]! }, {});
    await sessions.create({ tenantId: acme, personId: people[0]! }, {});
    now = new Date('2026-11-27T06:00:00Z');
    await sessions.create({ tenantId: acme, userId: agents[2]! }, {});
    // a1 comes back after three hours away: counted again, so the peak of the 27th (New York) is 2.
    now = new Date('2026-11-27T06:05:00Z');
    await sessions.find(t1);
    expect(await seatPeaks(db, acme, '2026-11-26', '2026-11-27')).toEqual([
      { day: '2026-11-26', agents: 2, portal: 1 },
      { day: '2026-11-27', agents: 2, portal: 0 },
    ]);
    // A lower count later never lowers the peak.
    now = new Date('2026-11-27T20:00:00Z');
    await sessions.create({ tenantId: acme, personId: people[2]! }, {});
    expect((await seatPeaks(db, acme, '2026-11-27', '2026-11-27'))[0]).toEqual({ day: '2026-11-27', agents: 2, portal: 1 });
    expect(await seatPeaks(db, globex, '2026-11-26', '2026-11-27')).toEqual([]);
  });

  it('reports every tenant with its own window in one overview', async () => {
    const { sessions, db } = app.services;
    now = new Date('2026-11-28T12:00:00Z');
    await saveSeatSettings(db, acme, settings({ agentSeats: 5, windowMinutes: 5 }), now);
    await saveSeatSettings(db, globex, settings({ agentSeats: 1, windowMinutes: 60 }), now);
    await sessions.create({ tenantId: acme, userId: agents[0]! }, {});
    await sessions.create({ tenantId: globex, userId: (await db.selectFrom('users').select('id').where('email', '=', 'g@globex.test').executeTakeFirstOrThrow()).id }, {});
    now = new Date('2026-11-28T12:10:00Z');
    const usage = await allSeatUsage(db, [acme, globex], now);
    expect(usage.get(acme)).toMatchObject({ agents: 0, agentSeats: 5, windowMinutes: 5 });
    expect(usage.get(globex)).toMatchObject({ agents: 1, agentSeats: 1, windowMinutes: 60 });
  });
});
