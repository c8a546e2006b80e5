import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { LEASE_MS } from './escalation-sweep.js';
import { slaPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
const tsx = resolve('node_modules/.bin/tsx');
const worker = resolve('test/harness/sla-sweep-worker.ts');
const START = Date.parse('2026-03-07T10:00:00Z');

interface Run { child: ChildProcess; claimed: Promise<void>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> }

/** A second server process running the sweep on the same database (SQLite file or PostgreSQL). */
function run(url: string, tenantId: number, at: number, mode: 'die' | 'sweep'): Run {
  const child = spawn(tsx, [worker, url, String(tenantId), new Date(at).toISOString(), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let claimed!: () => void;
  const claimedPromise = new Promise<void>((done) => { claimed = done; });
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); if (out.includes('claimed\n')) claimed(); });
  child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((done) => child.on('exit', (code, signal) => done({ code, signal, out, err })));
  return { child, claimed: claimedPromise, exit };
}
const resultOf = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as { fired: number; resumed: number };

describe.each(dialects)('exactly-once escalation across server processes on %s', (dialect) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(START) });
  });
  afterAll(() => app.cleanup());

  it('two processes sweep at once, the one that claimed is killed mid-sweep; later sweeps finish it once: one notification, one mail, priority raised once, forwarded once', async () => {
    const tenant = await app.createTenant('procs');
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', 'admin@procs.test');
    const agentId = await app.createStaff(tenant.id, 'agent', 'agent@procs.test');
    const scope = pluginScope<SlaEscalationDB>(app.services.db, tenant.id);
    const [firstLine, secondLine] = (await scope.insertInto('support_groups', [{ name: 'First line', level: 'first', email: null }, { name: 'Second line', level: 'second', email: null }]).returning('id').execute()).map((r) => r.id) as [number, number];
    const cookie = await app.signIn('admin@procs.test', 'procs');
    const post = (path: string, values: Record<string, string>) => app.request(`/t/procs/p/sla${path}`, { method: 'POST', body: new URLSearchParams(values), cookie });
    const calendar = /(\d+)$/.exec((await post('/calendars', { name: 'Always', zone: 'UTC', ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`hours.${d}`, '00:00-24:00'])) })).headers.get('location')!)![1]!;
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '30'], [`target.update.${p}`, ''], [`target.solution.${p}`, '']]));
    const level = /(\d+)$/.exec((await post('/levels', { name: 'Urgent', calendarId: calendar, ...targets })).headers.get('location')!)![1]!;
    const point = new URLSearchParams({ clock: 'first_response', offsetKind: 'minutes', offsetValue: '0', notify: '1', email: '1', raisePriority: '1', forwardGroupId: String(secondLine) });
    point.append('recipients', 'assignee');
    expect((await app.request(`/t/procs/p/sla/levels/${level}/points`, { method: 'POST', body: point, cookie })).status).toBe(303);
    expect((await post('/settings', { defaultLevelId: level, pausing: 'waiting' })).status).toBe(303);
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    const ticket = await (await tenantTicketService(app.services, tenant.id)).create({ subject: 'Two servers', description: 'x', groupId: firstLine, assigneeId: agentId, priority: 2 }, actor);
    const url = app.database.url;
    const at = START + 31 * MINUTE;

    // Two processes at once: one claims the firing and is killed before its follow-up; the other finds it taken.
    const [one, two] = [run(url, tenant.id, at, 'die'), run(url, tenant.id, at, 'die')];
    const killed = await Promise.race([one.claimed.then(() => one), two.claimed.then(() => two)]);
    const other = killed === one ? two : one;
    killed.child.kill('SIGKILL');
    expect((await killed.exit).signal).toBe('SIGKILL');
    const survivor = await other.exit;
    expect(survivor.code, survivor.err).toBe(0);
    expect(resultOf(survivor.out)).toMatchObject({ fired: 0, resumed: 0 });
    const firings = () => scope.selectFrom('sla_escalation_firings').selectAll().where('ticket_id', '=', ticket.id).execute();
    expect(await firings()).toHaveLength(1);
    expect((await firings())[0]).toMatchObject({ done_at: null });
    const notes = () => scope.selectFrom('notifications').select('user_id').where('ticket_id', '=', ticket.id).where('kind', '=', 'sla.escalation').execute();
    expect(await notes()).toEqual([{ user_id: agentId }]);

    // After the lease, two processes again: exactly one takes the follow-up over.
    const later = at + LEASE_MS + MINUTE;
    const finished = await Promise.all([run(url, tenant.id, later, 'sweep').exit, run(url, tenant.id, later, 'sweep').exit]);
    for (const done of finished) expect(done.code, done.err).toBe(0);
    expect(finished.map((done) => resultOf(done.out).resumed).sort()).toEqual([0, 1]);
    expect(finished.every((done) => resultOf(done.out).fired === 0)).toBe(true);

    const after = await (await tenantTicketService(app.services, tenant.id)).get(ticket.number);
    expect(after.priority).toBe(3);
    expect(after.group_id).toBe(secondLine);
    expect(await notes()).toEqual([{ user_id: agentId }]);
    const history = await scope.selectFrom('ticket_history').select(['field', 'new_value']).where('ticket_id', '=', ticket.id).where('field', 'in', ['priority', 'group_id']).orderBy('id').execute();
    expect(history.filter((h) => h.field === 'priority')).toEqual([{ field: 'priority', new_value: '3' }]);
    expect(history.filter((h) => h.field === 'group_id' && h.new_value === String(secondLine))).toHaveLength(1);
    const mails = await app.services.db.selectFrom('mail_outbox').select('to_address').where('tenant_id', '=', tenant.id).where('subject', 'like', `[#${ticket.number}] Escalation%`).execute();
    expect(mails).toEqual([{ to_address: 'agent@procs.test' }]);
    expect((await firings())[0]!.done_at).not.toBeNull();
  }, 90_000);
});
