import type { Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// The timeline (core/timeline): posts for an audience, the organisations a customer post is for,
// likes (one per person: unique), comments and each reader's last-seen marker for the unread badge.
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('timeline_posts'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text')
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The first page: pinned first, newest first, walked in index order and cut at the page size.
  await db.schema.createIndex('timeline_posts_tenant_pinned_id').on('timeline_posts').columns(['tenant_id', 'pinned', 'id']).execute();

  await db.schema.createTable('timeline_post_organisations')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('timeline_posts.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('timeline_post_organisations_pk', ['post_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('timeline_post_organisations_org').on('timeline_post_organisations').columns(['tenant_id', 'organisation_id', 'post_id']).execute();

  // One like per person: `liker` is 'u<user id>' for staff, 'p<person id>' for a portal user.
  await db.schema.createTable('timeline_likes')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('timeline_posts.id').onDelete('cascade'))
    .addColumn('liker', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('timeline_likes_pk', ['post_id', 'liker'])
    .execute();

  await withId(db, db.schema.createTable('timeline_comments'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('timeline_posts.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_comments_post').on('timeline_comments').columns(['tenant_id', 'post_id', 'id']).execute();

  // The unread badge: the newest post id a reader has seen (one row per reader, not one per post).
  await db.schema.createTable('timeline_seen')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('reader', 'text', (c) => c.notNull())
    .addColumn('last_seen_post_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('timeline_seen_pk', ['tenant_id', 'reader'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['timeline_seen', 'timeline_comments', 'timeline_likes', 'timeline_post_organisations', 'timeline_posts']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
