import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from '../core/db/migration-helpers.js';

// Correspondence, history, attachments, categories, custom fields, macros, saved views,
// notifications and the full-text index of tickets.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const now = pg ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

  // Public replies (kind reply), internal notes (note) and messages of the customer (customer).
  await withId(db, db.schema.createTable('ticket_articles'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('web'))
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_articles_ticket').on('ticket_articles').columns(['tenant_id', 'ticket_id', 'id']).execute();
  await db.schema.createIndex('ticket_articles_message').on('ticket_articles').columns(['tenant_id', 'message_id']).execute();

  await withId(db, db.schema.createTable('ticket_attachments'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.references('ticket_articles.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('ticket_attachments_ticket').on('ticket_attachments').columns(['tenant_id', 'ticket_id']).execute();

  // Every change of a ticket: who, when, what, old -> new.
  await withId(db, db.schema.createTable('ticket_history'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_history_ticket').on('ticket_history').columns(['tenant_id', 'ticket_id', 'id']).execute();

  await withId(db, db.schema.createTable('ticket_categories'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('ticket_categories_tenant_name').on('ticket_categories').columns(['tenant_id', 'name']).unique().execute();

  // Definitions of per-tenant custom fields; the values live in tickets.custom_fields (JSON).
  await withId(db, db.schema.createTable('ticket_fields'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('ticket_fields_tenant_key').on('ticket_fields').columns(['tenant_id', 'key']).unique().execute();

  // Reply templates: personal (user_id set) or shared with the team (user_id null).
  await withId(db, db.schema.createTable('macros'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('article_kind', 'text', (c) => c.notNull().defaultTo('reply'))
    .addColumn('set_status', 'text')
    .addColumn('set_priority', 'integer')
    .addColumn('set_group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('macros_tenant_user').on('macros').columns(['tenant_id', 'user_id']).execute();

  // Named filters of ticket management: personal, or shared with one support group.
  await withId(db, db.schema.createTable('saved_views'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('saved_views_tenant_user').on('saved_views').columns(['tenant_id', 'user_id']).execute();
  await db.schema.createIndex('saved_views_tenant_group').on('saved_views').columns(['tenant_id', 'group_id']).execute();

  await withId(db, db.schema.createTable('notifications'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['tenant_id', 'user_id', 'read_at', 'id']).execute();

  await db.schema.alterTable('users').addColumn('notify_by_mail', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // Queues sort by last change; ticket management also by creation and priority.
  await db.schema.createIndex('tickets_tenant_created').on('tickets').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('tickets_tenant_updated').on('tickets').columns(['tenant_id', 'updated_at']).execute();

  // Full text over subject, description and all correspondence, one document per ticket.
  if (pg) {
    await db.schema.createTable('ticket_search')
      .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
      .addColumn('tenant_id', 'integer', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('document', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`setweight(to_tsvector('simple', subject), 'A') || setweight(to_tsvector('simple', body), 'B')`).stored())
      .execute();
    await sql`create index ticket_search_document on ticket_search using gin (document)`.execute(db);
    await db.schema.createIndex('ticket_search_tenant').on('ticket_search').columns(['tenant_id', 'ticket_id']).execute();
  } else {
    // rowid = ticket id; the tenant is a token of its own column so MATCH filters by it.
    await sql`create virtual table ticket_search using fts5(tenant, subject, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_search').ifExists().execute();
  await db.schema.dropIndex('tickets_tenant_updated').ifExists().execute();
  await db.schema.dropIndex('tickets_tenant_created').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('notify_by_mail').execute();
  for (const table of ['notifications', 'saved_views', 'macros', 'ticket_fields', 'ticket_categories', 'ticket_history', 'ticket_attachments', 'ticket_articles']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
