import type { Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// KPI reports (issue 14 points 3 and 7), kept by core/statistics/kpi-facts.ts in the same transaction
// as every ticket change and rebuilt by the job 'core.kpi-rebuild':
// - kpi_facts: one row per ticket that is not deleted: when it was created, first answered, first
//   solved and last solved (resolved), the seconds to the first response and to the resolution (wall
//   time, and business time on the calendar of the ticket's service level when the sla plugin knows
//   one), how often it was reopened, and who had it when it was resolved (agent, group; the ticket as
//   it is now while unresolved), its organisation, category and channel; the first response's and the
//   resolution's calendar day in the tenant's zone (the report's trend). A one-year report is a range
//   read over one of the time indexes, its medians and 90th percentiles ranked by window functions.
// - kpi_builds: when, and with which time zone, a tenant's facts were last rebuilt.
// - kpi_subscriptions: a staff user's weekly or monthly KPI mail, and the last period sent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('kpi_facts')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('first_response_at', 'text')
    .addColumn('first_response_seconds', 'integer')
    .addColumn('first_response_business', 'integer')
    .addColumn('first_response_day', 'text')
    .addColumn('first_solved_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution_seconds', 'integer')
    .addColumn('resolution_business', 'integer')
    .addColumn('resolved_day', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_id', 'integer')
    .addColumn('group_id', 'integer')
    .addColumn('organisation_id', 'integer')
    .addColumn('category', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_facts_pk', ['tenant_id', 'ticket_id'])
    .execute();
  // One index per time the report selects a period by, covering what the report reads of those rows (the
  // dimensions and the figure), so a year's read never visits the table; resolved_at also serves the
  // backlog (unresolved, or resolved after the period).
  const dims = ['agent_id', 'group_id', 'organisation_id', 'channel', 'category'];
  await db.schema.createIndex('kpi_facts_created').on('kpi_facts').columns(['tenant_id', 'created_at', ...dims]).execute();
  await db.schema.createIndex('kpi_facts_first_response').on('kpi_facts')
    .columns(['tenant_id', 'first_response_at', 'first_response_day', 'first_response_seconds', 'first_response_business', ...dims]).execute();
  await db.schema.createIndex('kpi_facts_first_solved').on('kpi_facts').columns(['tenant_id', 'first_solved_at', 'reopen_count', ...dims]).execute();
  await db.schema.createIndex('kpi_facts_resolved').on('kpi_facts')
    .columns(['tenant_id', 'resolved_at', 'resolved_day', 'resolution_seconds', 'resolution_business', ...dims]).execute();

  await db.schema.createTable('kpi_builds')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('rebuilt_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('kpi_subscriptions'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('group_by', 'text', (c) => c.notNull())
    .addColumn('last_period', 'text')
    .addColumn('last_sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kpi_subscriptions_user').unique().on('kpi_subscriptions').columns(['tenant_id', 'user_id', 'frequency']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_subscriptions').execute();
  await db.schema.dropTable('kpi_builds').execute();
  await db.schema.dropTable('kpi_facts').execute();
}
