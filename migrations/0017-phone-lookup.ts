import { sql, type Kysely } from 'kysely';

// Caller lookup by phone number (plugin connect's telephony, issue 16): an expression index over the phone field with
// blanks, dashes, slashes, dots and brackets removed and "+" written as "00" (core/people/phone-key.ts builds the same
// expression for queries; it must stay identical, or the planners stop using these indexes). No column is added, so
// every writer of people and organisations (forms, imports, seeds) keeps the index right without knowing of it.
const KEY = sql`replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '/', ''), '.', ''), '(', ''), ')', ''), '+', '00')`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index people_tenant_phone_key on people (tenant_id, (${KEY}))`.execute(db);
  await sql`create index organisations_tenant_phone_key on organisations (tenant_id, (${KEY}))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('people_tenant_phone_key').execute();
  await db.schema.dropIndex('organisations_tenant_phone_key').execute();
}
