import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.js';
import type { Person } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { FieldConflictError } from './field-error.js';
import { blankToNull, containsText } from './text-search.js';

export const portalRoleSchema = z.enum(['customer', 'requester', 'business_partner', 'supplier', 'staff']);
export const PORTAL_ROLES = portalRoleSchema.options;

const flag = z.literal('1').optional().transform((v) => (v === '1' ? 1 : 0));

export const personSchema = z.object({
  organisation_id: z.string().optional().transform((v) => (v ? Number(v) : null)).pipe(z.number().int().positive().nullable()),
  name: z.string().trim().min(1).max(120),
  email: z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email())]).optional().transform((v) => v || null),
  phone: z.string().max(60).optional().transform(blankToNull),
  portal_role: portalRoleSchema,
  is_org_manager: flag,
  locale: z.enum(['', 'de', 'en']).optional().transform((v) => v || null),
  active: flag,
  password: z.union([z.literal(''), z.string().min(PASSWORD_MIN).max(PASSWORD_MAX)]).optional().transform((v) => v || null),
});
export type PersonInput = z.infer<typeof personSchema>;

export interface SavedPerson { id: number; sessionsEnded: boolean }

/**
 * Creates (no id) or updates a contact person. The organisation must be the tenant's, the e-mail unique in
 * the tenant. `passwordHash` (already hashed, outside any transaction) replaces the portal password when given.
 * Deactivating a person or setting a new password ends their portal sessions.
 */
export async function savePerson(scope: TenantScope, input: Omit<PersonInput, 'password'> & { passwordHash: string | null }, id?: number): Promise<SavedPerson> {
  if (input.organisation_id !== null) {
    const organisation = await scope.selectFrom('organisations').select('id').where('id', '=', input.organisation_id).executeTakeFirst();
    if (!organisation) throw new FieldConflictError('organisation_id', 'validation.choice');
  }
  if (input.email) {
    let duplicate = scope.selectFrom('people').select('id').where((eb) => eb(eb.fn('lower', ['people.email']), '=', input.email!));
    if (id !== undefined) duplicate = duplicate.where('people.id', '<>', id);
    if (await duplicate.executeTakeFirst()) throw new FieldConflictError('email', 'person.emailTaken');
  }
  const row = {
    organisation_id: input.organisation_id, name: input.name, email: input.email, phone: input.phone, portal_role: input.portal_role,
    is_org_manager: input.is_org_manager, locale: input.locale, active: input.active,
    ...(input.passwordHash ? { password_hash: input.passwordHash } : {}),
  };
  if (id === undefined) {
    const created = await scope.insertInto('people', row).returning('id').executeTakeFirstOrThrow();
    return { id: created.id, sessionsEnded: false };
  }
  await scope.updateTable('people').set(row).where('id', '=', id).execute();
  let sessionsEnded = false;
  if (!input.active || input.passwordHash !== null) {
    // sessions.tenant_id is nullable (operators), so it is not a scoped table: filter by the tenant by hand.
    const ended = await scope.db.deleteFrom('sessions').where('person_id', '=', id).where('tenant_id', '=', scope.tenantId).executeTakeFirst();
    sessionsEnded = Number(ended.numDeletedRows) > 0;
  }
  return { id, sessionsEnded };
}

export async function findPerson(scope: TenantScope, id: number): Promise<Person | undefined> {
  if (!Number.isInteger(id)) return undefined;
  return scope.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One page of people with their organisation's name; `q` matches name or e-mail. */
export async function listPeople(scope: TenantScope, filter: { q?: string | undefined; organisationId?: number | undefined; page: number; pageSize: number }) {
  let query = scope.selectFrom('people').leftJoin('organisations', 'organisations.id', 'people.organisation_id');
  const q = filter.q?.trim();
  if (q) query = query.where((eb) => eb.or([containsText('people.name', q), containsText('people.email', q)]));
  if (filter.organisationId !== undefined) query = query.where('people.organisation_id', '=', filter.organisationId);
  const [rows, total] = await Promise.all([
    query.select(['people.id', 'people.name', 'people.email', 'people.phone', 'people.portal_role', 'people.is_org_manager', 'people.active',
      'people.organisation_id', 'organisations.name as organisation_name'])
      .orderBy('people.name').orderBy('people.id').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
