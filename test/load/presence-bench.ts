// Presence on one ticket with 50 agents (issue 18 point 1): the real server (SQLite) over loopback, 50 agents with
// the ticket open (their page streams carry ?ticket=), and 50 more streams of agents on the ticket list. Measures a
// join (everyone beats once), then the steady state (every tab beats, nothing changes) at full speed: beat latency
// p50/p95, beats/s, CPU per beat (server and client share the process: an upper bound), what the streams received,
// and whether a beat wrote to the database. Run: npx tsx test/load/presence-bench.ts (BENCH_ROUNDS, default 20).
import { sql } from 'kysely';
import { createUser } from '../../core/people/user-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { cookiesOf } from '../harness/test-app.js';
import { startTestServer } from '../harness/test-server.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const quantile = (samples: number[], q: number) => {
  const sorted = samples.slice().sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 100) / 100;
};

const server = await startTestServer([]);
try {
  const { db, config } = server.tresen.services;
  const tenant = await createTenant(db, { slug: 'bench', name: 'Bench', locale: 'en' });
  const base = `${server.url}/t/bench`;
  const ids: number[] = [];
  for (let n = 0; n < AGENTS; n++) ids.push(await createUser(db, { tenantId: tenant.id, email: `agent${n}@bench.test`, name: `Agent ${n}`, role: 'agent', password: 'bench-password-123' }, config.scryptLogN));
  const service = await tenantTicketService(server.tresen.services, tenant.id);
  const { number } = await service.create({ subject: 'Everyone looks at this', description: 'x' }, { kind: 'user', id: ids[0]!, label: 'Agent 0', can: () => true });
  const cookies: string[] = [];
  for (let n = 0; n < AGENTS; n++) {
    const response = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: `agent${n}@bench.test`, password: 'bench-password-123' }) });
    cookies.push(cookiesOf(response));
  }

  // Streams: one per agent on the ticket page, one per agent on the list; count what each receives.
  const received = { ticket: { presence: 0, bytes: 0 }, list: { presence: 0, bytes: 0 } };
  const aborts: AbortController[] = [];
  const open = async (cookie: string, kind: 'ticket' | 'list') => {
    const abort = new AbortController();
    aborts.push(abort);
    const response = await fetch(`${base}/events${kind === 'ticket' ? `?ticket=${number}` : ''}`, { headers: { cookie }, signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const text = decoder.decode(value, { stream: true });
          received[kind].bytes += value.byteLength;
          received[kind].presence += text.split('event: presence\n').length - 1;
        }
      } catch { /* aborted */ }
    })();
  };
  for (const cookie of cookies) {
    await open(cookie, 'ticket');
    await open(cookie, 'list');
  }
  await new Promise((r) => setTimeout(r, 300));
  const reset = () => { for (const kind of ['ticket', 'list'] as const) received[kind] = { presence: 0, bytes: 0 }; };
  reset();

  const beat = (n: number, state: string) => fetch(`${base}/desk/tickets/${number}/presence`, {
    method: 'POST', headers: { cookie: cookies[n]!, Origin: server.url, 'HX-Request': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tab: `bench-tab-${String(n).padStart(4, '0')}`, state }),
  }).then((r) => r.text());
  const changes = async () => Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n);

  // Join: each agent opens the ticket once; every tab beats.
  const joinStart = performance.now();
  for (let n = 0; n < AGENTS; n++) await beat(n, 'viewing');
  const joinMs = performance.now() - joinStart;
  await new Promise((r) => setTimeout(r, 300));
  const join = { ...received };
  reset();

  // Steady state: ROUNDS rounds of every tab beating with nothing changed (in real life: one round per 20 s).
  const writesBefore = await changes();
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  const steadyStart = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(Array.from({ length: AGENTS }, async (_, n) => {
      const started = performance.now();
      await beat(n, 'viewing');
      samples.push(performance.now() - started);
    }));
  }
  const steadyMs = performance.now() - steadyStart;
  const cpu = process.cpuUsage(cpuBefore);
  await new Promise((r) => setTimeout(r, 300));
  const writes = (await changes()) - writesBefore;
  const beats = AGENTS * ROUNDS;
  const list = await fetch(`${base}/desk/tickets/${number}/presence`, { headers: { cookie: cookies[0]!, 'HX-Request': 'true' } }).then((r) => r.text());

  console.log(JSON.stringify({
    agents: AGENTS, rounds: ROUNDS,
    join: { ms: Math.round(joinMs), presenceEventsPerTicketStream: join.ticket.presence / AGENTS, presenceEventsOnListStreams: join.list.presence },
    steady: {
      beats, beatsPerSecond: Math.round(beats / (steadyMs / 1000)), p50ms: quantile(samples, 0.5), p95ms: quantile(samples, 0.95),
      cpuMsPerBeat: Math.round(((cpu.user + cpu.system) / 1000 / beats) * 1000) / 1000,
      presenceEventsToTicketStreams: received.ticket.presence, bytesToTicketStreams: received.ticket.bytes, bytesToListStreams: received.list.bytes,
      databaseRowChanges: writes,
      // In production a tab beats every 20 s: 50 agents make 2.5 beats/s.
      cpuPercentOfOneCoreAt20sBeats: Math.round((((cpu.user + cpu.system) / 1000 / beats) * (AGENTS / 20) / 10) * 1000) / 1000,
    },
    shown: (list.match(/presence-person/g) ?? []).length,
  }));
  for (const abort of aborts) abort.abort();
} finally {
  await server.stop();
}
process.exit(0);
