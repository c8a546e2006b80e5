import { z } from 'zod';
import type { Contract } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { FieldConflictError } from './field-error.js';

/** '' -> null, else a real calendar date YYYY-MM-DD. */
const optionalDate = z.string().optional().transform((v) => v?.trim() || null)
  .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)), 'contract.dateFormat');

export const contractSchema = z.object({
  name: z.string().trim().min(1).max(200),
  number: z.string().trim().min(1).max(60),
  valid_from: optionalDate,
  valid_to: optionalDate,
}).superRefine((value, ctx) => {
  // ISO dates compare as text.
  if (value.valid_from && value.valid_to && value.valid_to < value.valid_from) {
    ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'contract.dateOrder' });
  }
});
export type ContractInput = z.infer<typeof contractSchema>;

/** Creates (no id) or updates a contract of an organisation; the number is unique per tenant. */
export async function saveContract(scope: TenantScope, organisationId: number, input: ContractInput, id?: number): Promise<number> {
  let duplicate = scope.selectFrom('contracts').select('id').where((eb) => eb(eb.fn('lower', ['contracts.number']), '=', input.number.toLowerCase()));
  if (id !== undefined) duplicate = duplicate.where('contracts.id', '<>', id);
  if (await duplicate.executeTakeFirst()) throw new FieldConflictError('number', 'contract.numberTaken');
  const row = { name: input.name, number: input.number, valid_from: input.valid_from, valid_to: input.valid_to };
  if (id === undefined) return (await scope.insertInto('contracts', { ...row, organisation_id: organisationId }).returning('id').executeTakeFirstOrThrow()).id;
  await scope.updateTable('contracts').set(row).where('id', '=', id).where('organisation_id', '=', organisationId).execute();
  return id;
}

/** A contract of this organisation (another organisation's or tenant's contract is not found). */
export async function findContract(scope: TenantScope, organisationId: number, id: number): Promise<Contract | undefined> {
  if (!Number.isInteger(id)) return undefined;
  return scope.selectFrom('contracts').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export function organisationContracts(scope: TenantScope, organisationId: number) {
  return scope.selectFrom('contracts').select(['id', 'name', 'number', 'valid_from', 'valid_to'])
    .where('organisation_id', '=', organisationId).orderBy('valid_from', 'desc').orderBy('id', 'desc').execute();
}
