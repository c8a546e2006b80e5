import { z } from 'zod';
import type { Organisation } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { FieldConflictError } from './field-error.js';
import { blankToNull, containsText } from './text-search.js';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const optionalText = (max: number) => z.string().max(max).optional().transform(blankToNull);

/** "acme.com, acme.de" -> ['acme.com', 'acme.de']; every entry must be a host name. */
export const emailDomainsSchema = z.string().max(2000).optional()
  .transform((v) => [...new Set((v ?? '').split(/[,\s]+/).map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))])
  .refine((domains) => domains.every((d) => DOMAIN.test(d)), 'organisation.domainFormat');

export const organisationSchema = z.object({
  name: z.string().trim().min(1).max(200),
  number: optionalText(40),
  email_domains: emailDomainsSchema,
  phone: optionalText(60),
  address: optionalText(500),
  notes: optionalText(5000),
});
export type OrganisationInput = z.infer<typeof organisationSchema>;

/** The stored form of the domain list (comma-separated, no spaces) and back. */
export const formatDomains = (stored: string): string => stored.split(',').filter(Boolean).join(', ');

/** Creates (no id) or updates an organisation; the customer number is unique per tenant. Returns the id. */
export async function saveOrganisation(scope: TenantScope, input: OrganisationInput, id?: number): Promise<number> {
  if (input.number) {
    let duplicate = scope.selectFrom('organisations').select('id').where((eb) => eb(eb.fn('lower', ['organisations.number']), '=', input.number!.toLowerCase()));
    if (id !== undefined) duplicate = duplicate.where('organisations.id', '<>', id);
    if (await duplicate.executeTakeFirst()) throw new FieldConflictError('number', 'organisation.numberTaken');
  }
  const row = { name: input.name, number: input.number, email_domains: input.email_domains.join(','), phone: input.phone, address: input.address, notes: input.notes };
  if (id === undefined) return (await scope.insertInto('organisations', row).returning('id').executeTakeFirstOrThrow()).id;
  await scope.updateTable('organisations').set(row).where('id', '=', id).execute();
  return id;
}

export async function findOrganisation(scope: TenantScope, id: number): Promise<Organisation | undefined> {
  if (!Number.isInteger(id)) return undefined;
  return scope.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One page of organisations, optionally those whose name or number contains `q`. */
export async function listOrganisations(scope: TenantScope, filter: { q?: string | undefined; page: number; pageSize: number }) {
  let query = scope.selectFrom('organisations');
  const q = filter.q?.trim();
  if (q) query = query.where((eb) => eb.or([containsText('organisations.name', q), containsText('organisations.number', q)]));
  const [rows, total] = await Promise.all([
    query.select(['id', 'name', 'number', 'email_domains', 'phone']).orderBy('name').orderBy('id')
      .limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
