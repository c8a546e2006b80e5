import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

/** Run in name order, recorded in kysely_migration_survey; never edit one that has shipped, add the next. */
export const surveyMigrations: Record<string, Migration> = {
  '0001-survey-surveys': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('survey_surveys'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
        .addColumn('agent_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('token_id', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('grade', 'integer')
        .addColumn('scale_value', 'text')
        .addColumn('answers', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('comment', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // One survey per ticket; the send job's due list; the do-not-ask window per person; results per agent, group and period.
      await db.schema.createIndex('survey_surveys_ticket').on('survey_surveys').columns(['tenant_id', 'ticket_id']).unique().execute();
      await db.schema.createIndex('survey_surveys_due').on('survey_surveys').columns(['tenant_id', 'state', 'due_at']).execute();
      await db.schema.createIndex('survey_surveys_person').on('survey_surveys').columns(['tenant_id', 'person_id', 'created_at']).execute();
      await db.schema.createIndex('survey_surveys_agent').on('survey_surveys').columns(['tenant_id', 'agent_id', 'sent_at']).execute();
      await db.schema.createIndex('survey_surveys_group').on('survey_surveys').columns(['tenant_id', 'group_id', 'sent_at']).execute();

      await withId(db, db.schema.createTable('survey_answers'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('survey_id', 'integer', (c) => c.notNull().references('survey_surveys.id').onDelete('cascade'))
        .addColumn('grade', 'integer', (c) => c.notNull())
        .addColumn('scale_value', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('survey_answers_survey').on('survey_answers').columns(['tenant_id', 'survey_id']).execute();

      await withId(db, db.schema.createTable('survey_alerts'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('survey_id', 'integer', (c) => c.notNull().references('survey_surveys.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('grade', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('escalated_at', 'text')
        .addColumn('done_at', 'text')
        .addColumn('done_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('outcome', 'text')
        .execute();
      await db.schema.createIndex('survey_alerts_open').on('survey_alerts').columns(['tenant_id', 'done_at', 'created_at']).execute();
      await db.schema.createIndex('survey_alerts_survey').on('survey_alerts').columns(['tenant_id', 'survey_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('survey_alerts').execute();
      await db.schema.dropTable('survey_answers').execute();
      await db.schema.dropTable('survey_surveys').execute();
    },
  },
};
