import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

/** Run in name order, recorded in kysely_migration_ideas; never edit one that has shipped, add the next. */
export const ideasMigrations: Record<string, Migration> = {
  '0001-ideas': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('ideas_proposals'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('benefit', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('portal_visible', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('submitter_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('submitter_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
        .addColumn('submitter_label', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
        .addColumn('decline_reason', 'text')
        .addColumn('duplicate_of', 'integer', (c) => c.references('ideas_proposals.id').onDelete('set null'))
        .addColumn('likes_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('comments_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('trend_score', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('accept_claim', 'text')
        .addColumn('kb_entry_id', 'integer')
        .addColumn('accepted_at', 'text')
        .addColumn('accepted_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('status_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ideas_proposals_ticket').on('ideas_proposals').columns(['tenant_id', 'ticket_id']).unique().execute();
      // The board's sorts, each an index walk (status filter first where given); the report by acceptance time.
      for (const [name, column] of [['newest', 'created_at'], ['liked', 'likes_count'], ['trending', 'trend_score'], ['discussed', 'comments_count']] as const) {
        await db.schema.createIndex(`ideas_proposals_${name}`).on('ideas_proposals').columns(['tenant_id', column, 'id']).execute();
        await db.schema.createIndex(`ideas_proposals_status_${name}`).on('ideas_proposals').columns(['tenant_id', 'status', column, 'id']).execute();
      }
      await db.schema.createIndex('ideas_proposals_accepted').on('ideas_proposals').columns(['tenant_id', 'accepted_at']).execute();

      await db.schema.createTable('ideas_likes')
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('proposal_id', 'integer', (c) => c.notNull().references('ideas_proposals.id').onDelete('cascade'))
        .addColumn('voter', 'text', (c) => c.notNull())
        .addColumn('liked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ideas_likes_pk', ['tenant_id', 'proposal_id', 'voter'])
        .execute();

      await withId(db, db.schema.createTable('ideas_comments'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('proposal_id', 'integer', (c) => c.notNull().references('ideas_proposals.id').onDelete('cascade'))
        .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('author_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
        .addColumn('author_label', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('edited_at', 'text')
        .addColumn('deleted_at', 'text')
        .addColumn('deleted_by', 'text')
        .execute();
      await db.schema.createIndex('ideas_comments_proposal').on('ideas_comments').columns(['tenant_id', 'proposal_id', 'id']).execute();

      await db.schema.createTable('ideas_followers')
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('proposal_id', 'integer', (c) => c.notNull().references('ideas_proposals.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('ideas_followers_pk', ['tenant_id', 'proposal_id', 'user_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('ideas_followers').execute();
      await db.schema.dropTable('ideas_comments').execute();
      await db.schema.dropTable('ideas_likes').execute();
      await db.schema.dropTable('ideas_proposals').execute();
    },
  },
};
