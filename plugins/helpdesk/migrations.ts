import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres, withId } from '../../core/plugin-api.js';

/** Helpdesk migrations, frozen in time like core's (they take Kysely<any>). */
export const helpdeskMigrations: Record<string, Migration> = {
  '0001-helpdesk-mail': {
    async up(db: Kysely<any>) {
      const createdAt = isPostgres(db) ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

      await withId(db, db.schema.createTable('helpdesk_mailboxes'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('imap_host', 'text', (c) => c.notNull())
        .addColumn('imap_port', 'integer', (c) => c.notNull())
        .addColumn('imap_tls', 'text', (c) => c.notNull())
        .addColumn('imap_user', 'text', (c) => c.notNull())
        // AES-256-GCM with a key derived from the instance secret (mail/secret-box.ts).
        .addColumn('imap_password', 'text', (c) => c.notNull())
        .addColumn('imap_folder', 'text', (c) => c.notNull().defaultTo('INBOX'))
        .addColumn('smtp_url', 'text')
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('from_name', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('uid_validity', 'text')
        .addColumn('last_uid', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_checked_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(createdAt))
        .execute();
      await db.schema.createIndex('helpdesk_mailboxes_tenant').on('helpdesk_mailboxes').columns(['tenant_id', 'id']).execute();

      await withId(db, db.schema.createTable('helpdesk_filter_rules'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('mailbox_id', 'integer', (c) => c.notNull().references('helpdesk_mailboxes.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
        .addColumn('priority', 'integer')
        .addColumn('category', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(createdAt))
        .execute();
      await db.schema.createIndex('helpdesk_filter_rules_mailbox').on('helpdesk_filter_rules').columns(['tenant_id', 'mailbox_id']).execute();

      await withId(db, db.schema.createTable('helpdesk_mails'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('mailbox_id', 'integer', (c) => c.references('helpdesk_mailboxes.id').onDelete('set null'))
        // Message-ID, or "sha256:<hash of the raw message>" when it has none: unique per tenant.
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('imap_uid', 'integer')
        .addColumn('raw_sha256', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('claim', 'text')
        .addColumn('claimed_at', 'text')
        .addColumn('from_address', 'text')
        .addColumn('from_name', 'text')
        .addColumn('subject', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('in_reply_to', 'text')
        .addColumn('reference_ids', 'text')
        .addColumn('body_text', 'text')
        .addColumn('body_html', 'text')
        .addColumn('auto_kind', 'text')
        .addColumn('note', 'text')
        .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
        .addColumn('article_id', 'integer')
        .addColumn('discarded_at', 'text')
        .addColumn('discarded_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(createdAt))
        .addUniqueConstraint('helpdesk_mails_dedup', ['tenant_id', 'dedup_key'])
        .execute();
      await db.schema.createIndex('helpdesk_mails_status').on('helpdesk_mails').columns(['tenant_id', 'status', 'id']).execute();

      await withId(db, db.schema.createTable('helpdesk_mail_parts'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('mail_id', 'integer', (c) => c.notNull().references('helpdesk_mails.id').onDelete('cascade'))
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('content_id', 'text')
        .execute();
      await db.schema.createIndex('helpdesk_mail_parts_mail').on('helpdesk_mail_parts').columns(['tenant_id', 'mail_id']).execute();

      // Every Message-ID that belongs to a ticket, ours (replies, confirmations) and the customer's.
      await db.schema.createTable('helpdesk_thread_ids')
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('outgoing', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('mailbox_id', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(createdAt))
        .addPrimaryKeyConstraint('helpdesk_thread_ids_pk', ['tenant_id', 'message_id'])
        .execute();

      // A mail to a closed ticket opens a follow-up; both tickets show the link.
      await withId(db, db.schema.createTable('helpdesk_ticket_links'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('previous_ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(createdAt))
        .execute();
      await db.schema.createIndex('helpdesk_ticket_links_ticket').on('helpdesk_ticket_links').columns(['tenant_id', 'ticket_id']).execute();
      await db.schema.createIndex('helpdesk_ticket_links_previous').on('helpdesk_ticket_links').columns(['tenant_id', 'previous_ticket_id']).execute();

      // Automatic mails sent, for the per-sender rate limit.
      await withId(db, db.schema.createTable('helpdesk_auto_replies'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'integer')
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('helpdesk_auto_replies_recipient').on('helpdesk_auto_replies').columns(['tenant_id', 'recipient', 'sent_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['helpdesk_auto_replies', 'helpdesk_ticket_links', 'helpdesk_thread_ids', 'helpdesk_mail_parts', 'helpdesk_mails', 'helpdesk_filter_rules', 'helpdesk_mailboxes']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  // The mail that opened a ticket, looked up per ticket (the mail origin extension point, the survey's robot check).
  '0004-helpdesk-mails-by-ticket': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('helpdesk_mails_ticket').on('helpdesk_mails').columns(['tenant_id', 'ticket_id', 'status']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('helpdesk_mails_ticket').execute();
    },
  },
};
