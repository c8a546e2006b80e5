import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pluginScope, type DB, type PluginJob } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';
import { stateClass, type MonitoringEvent, type SourceKind } from './parse/monitoring-event.js';

export const KEEP_DAYS = 7;
export const BODY_MAX = 256 * 1024;
export const PAGE_SIZE = 50;
export const OUTCOMES = ['received', 'opened', 'appended', 'recovered', 'solved', 'flapping', 'ignored', 'invalid', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** host + service, lower case: what makes two alerts the same. */
export const dedupKey = (host: string, service: string) => `${host.toLowerCase()}\n${service.toLowerCase()}`;

/** PostgreSQL's text holds no NUL byte: stored bodies show it as U+FFFD (the rest stays as it came). */
const storable = (body: string) => body.replace(/\u0000/g, '\ufffd');

export interface EventRow {
  id: number; kind: string; received_at: string; host: string; service: string; state: string; outcome: string; detail: string;
  ticket_number: string | null; body: string;
}

/** The raw log of what the webhook accepted a token for: written first, its outcome set after. */
export function eventLog(db: Kysely<DB>, tenantId: number) {
  const scope = pluginScope<ConnectDB>(db, tenantId);
  return {
    /** A parsed event, outcome `received`, with the nonce the ticket-create filter checks. */
    async received(kind: SourceKind, event: MonitoringEvent, now: Date): Promise<{ id: number; nonce: string }> {
      const nonce = randomBytes(18).toString('base64url');
      const row = await scope.insertInto('connect_events', {
        kind, received_at: now.toISOString(), body: storable(event.raw), host: event.host, service: event.service, state: event.state,
        state_class: event.ignored ? 'other' : stateClass(event.state), outcome: 'received', detail: '', ticket_id: null,
        dedup_key: dedupKey(event.host, event.service), nonce,
      }).returning('id').executeTakeFirstOrThrow();
      return { id: row.id, nonce };
    },

    /** An event written once, with what came of it (the paths that need no row before the ticket's change). */
    async logged(kind: SourceKind, event: MonitoringEvent, now: Date, outcome: Outcome, ticketId: number | null, detail = ''): Promise<void> {
      await scope.insertInto('connect_events', {
        kind, received_at: now.toISOString(), body: storable(event.raw), host: event.host, service: event.service, state: event.state,
        state_class: event.ignored ? 'other' : stateClass(event.state), outcome, detail: storable(detail.slice(0, 1000)), ticket_id: ticketId,
        dedup_key: dedupKey(event.host, event.service), nonce: '',
      }).execute();
    },

    /** A body that did not parse: kept raw with the field message, so the admin sees what the system sent. */
    async invalid(kind: SourceKind, body: string, detail: string, now: Date): Promise<void> {
      await scope.insertInto('connect_events', {
        kind, received_at: now.toISOString(), body: storable(body), host: '', service: '', state: '', state_class: 'other', outcome: 'invalid',
        detail, ticket_id: null, dedup_key: '', nonce: '',
      }).execute();
    },

    async settle(id: number, outcome: Outcome, ticketId: number | null, detail = ''): Promise<void> {
      await scope.updateTable('connect_events').set({ outcome, ticket_id: ticketId, detail: storable(detail.slice(0, 1000)) }).where('id', '=', id).execute();
    },

    /**
     * State changes of a host+service since `since`: problem ↔ recovery moves among its logged events
     * (bounded: a flapping check is caught long before the bound).
     */
    async changesSince(key: string, since: string, current?: string): Promise<number> {
      const rows = await scope.selectFrom('connect_events').select('state_class').where('dedup_key', '=', key).where('received_at', '>=', since)
        .where('state_class', 'in', ['problem', 'recovery']).orderBy('received_at').orderBy('id').limit(500).execute();
      // The event being handled, when it is not logged yet (its row is written with its outcome, after).
      if (current === 'problem' || current === 'recovery') rows.push({ state_class: current });
      let changes = 0;
      for (let i = 1; i < rows.length; i++) if (rows[i]!.state_class !== rows[i - 1]!.state_class) changes++;
      return changes;
    },

    /** The newest first, a page at a time. */
    async page(page: number): Promise<{ rows: EventRow[]; more: boolean }> {
      const rows = await scope.selectFrom('connect_events as e').leftJoin('tickets as t', 't.id', 'e.ticket_id')
        .select(['e.id', 'e.kind', 'e.received_at', 'e.host', 'e.service', 'e.state', 'e.outcome', 'e.detail', 't.number as ticket_number', 'e.body'])
        .orderBy('e.received_at', 'desc').orderBy('e.id', 'desc').limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE).execute();
      return { rows: rows.slice(0, PAGE_SIZE), more: rows.length > PAGE_SIZE };
    },

    /** Drops events older than KEEP_DAYS; returns how many went. */
    async prune(now: Date): Promise<number> {
      const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000).toISOString();
      const result = await scope.deleteFrom('connect_events').where('received_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Nightly, per tenant with the plugin on: raw events are kept seven days. */
export const pruneEventsJob: PluginJob = {
  id: 'prune-events',
  schedule: 'FREQ=DAILY;BYHOUR=3;BYMINUTE=40',
  async run(ctx) {
    if (ctx.tenantId !== null) await eventLog(ctx.db, ctx.tenantId).prune(ctx.clock());
  },
};
