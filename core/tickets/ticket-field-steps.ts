import type { Ticket } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { isoToZoned } from '../i18n/time-zone.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { activeFieldDefinitions } from './custom-field-definitions.js';
import { fieldsFor, validateCustomFields, type CustomValues } from './custom-fields.js';
import type { TicketPatch } from './ticket-service-types.js';
import { current, str, type Step, type TicketContext } from './ticket-unit.js';
import { cleanLabel } from '../text/text-hygiene.js';

/** What a change may refer to; each named id must exist in the tenant (and a contract must fit the organisation and today). */
export interface TicketReferences {
  organisationId?: number | null | undefined;
  requesterId?: number | null | undefined;
  contractId?: number | null | undefined;
  groupId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  category?: string | null | undefined;
}

/** Adds a message to `errors` for every reference the tenant does not have. */
export async function checkReferences(ctx: TicketContext, trx: TenantScope, input: TicketReferences, errors: Record<string, string>, current?: { organisation_id: number | null }) {
  const { t, tenantId, tenant } = ctx;
  if (input.organisationId) {
    const found = await trx.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!found) errors.organisation_id = t('validation.unknownReference');
  }
  if (input.requesterId) {
    const found = await trx.selectFrom('people').select('id').where('id', '=', input.requesterId).executeTakeFirst();
    if (!found) errors.requester_id = t('validation.unknownReference');
  }
  if (input.contractId) {
    const contract = await trx.selectFrom('contracts').select(['organisation_id', 'valid_from', 'valid_to']).where('id', '=', input.contractId).executeTakeFirst();
    const organisationId = input.organisationId !== undefined ? input.organisationId : current?.organisation_id;
    // Contracts run by the tenant's calendar days.
    const today = isoToZoned(ctx.deps.clock().toISOString(), tenant.time_zone).slice(0, 10);
    if (!contract) errors.contract_id = t('validation.unknownReference');
    else if (contract.organisation_id !== organisationId) errors.contract_id = t('ticket.contractOrganisation');
    else if ((contract.valid_from && contract.valid_from > today) || (contract.valid_to && contract.valid_to < today)) errors.contract_id = t('ticket.contractExpired');
  }
  if (input.groupId) {
    const found = await trx.selectFrom('support_groups').select('id').where('id', '=', input.groupId).executeTakeFirst();
    if (!found) errors.group_id = t('validation.unknownReference');
  }
  if (input.assigneeId) {
    const found = await trx.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', '=', input.assigneeId)
      .where('active', '=', 1).where('role', 'in', ['agent', 'supervisor', 'admin']).executeTakeFirst();
    if (!found) errors.assignee_id = t('validation.unknownReference');
  }
  if (input.category) {
    const found = await trx.selectFrom('ticket_categories').select('id').where('name', '=', input.category).where('active', '=', 1).executeTakeFirst();
    if (!found) errors.category = t('validation.choice');
  }
}

/** Changes fields: each one that differs becomes a history entry with its old and new value. */
export async function fieldsStep(ctx: TicketContext, step: Step, patch: TicketPatch): Promise<void> {
  const { t, tenantId } = ctx;
  const { trx, unit } = step;
  const ticket = current(step);
  if (ticket.status === 'closed') throw new DomainError('conflict', t('ticket.refused.closed'));
  const errors: Record<string, string> = {};
  if (patch.subject !== undefined && !patch.subject.trim()) errors.subject = t('validation.required');
  if (patch.priority !== undefined && ![1, 2, 3, 4].includes(patch.priority)) errors.priority = t('validation.choice');
  const organisationId = patch.organisationId !== undefined ? patch.organisationId : ticket.organisation_id;
  const organisationChanged = organisationId !== ticket.organisation_id;
  // A contract belongs to one organisation: moving the ticket to another drops it unless a new one is named.
  const contractId = patch.contractId !== undefined ? patch.contractId : organisationChanged ? null : ticket.contract_id;
  await checkReferences(ctx, tenantScope(trx, tenantId), {
    organisationId: organisationChanged ? organisationId : undefined,
    requesterId: patch.requesterId !== undefined && patch.requesterId !== ticket.requester_id ? patch.requesterId : undefined,
    contractId: contractId !== ticket.contract_id || organisationChanged ? contractId : undefined,
    category: patch.category !== undefined && patch.category !== ticket.category ? patch.category : undefined,
  }, errors, { organisation_id: organisationId });
  const category = patch.category !== undefined ? patch.category || null : ticket.category;
  const currentCustom = JSON.parse(ticket.custom_fields) as CustomValues;
  let customValues: CustomValues | undefined;
  if (patch.customFields !== undefined || patch.category !== undefined) {
    const definitions = await activeFieldDefinitions(tenantScope(trx, tenantId));
    // Values of fields that no longer apply to the category go; named values are merged over the rest.
    const applicable = new Set(fieldsFor(definitions, category).map((d) => d.key));
    const kept = Object.fromEntries(Object.entries(currentCustom).filter(([key]) => applicable.has(key)));
    const custom = validateCustomFields(definitions, category, { ...kept, ...patch.customFields }, t);
    Object.assign(errors, custom.errors);
    customValues = custom.values;
  }
  if (Object.keys(errors).length) throw new DomainError('invalid', t('error.invalid'), errors);
  const change = <K extends keyof Ticket>(column: K, next: Ticket[K] | undefined) => {
    if (next === undefined || next === ticket[column]) return;
    (step.values as Record<string, unknown>)[column] = next;
    unit.history.push({ action: 'changed', field: column, old: ticket[column] as string | number | null, new: next as string | number | null });
  };
  change('subject', patch.subject === undefined ? undefined : cleanLabel(patch.subject).trim());
  change('priority', patch.priority);
  change('category', patch.category !== undefined ? patch.category || null : undefined);
  change('organisation_id', organisationId);
  change('requester_id', patch.requesterId);
  change('contract_id', contractId);
  if (customValues) {
    for (const key of new Set([...Object.keys(currentCustom), ...Object.keys(customValues)])) {
      if (currentCustom[key] !== customValues[key]) unit.history.push({ action: 'changed', field: `custom_fields.${key}`, old: str(currentCustom[key] as string), new: str(customValues[key] as string) });
    }
    const serialised = JSON.stringify(customValues);
    if (serialised !== ticket.custom_fields) step.values.custom_fields = serialised;
  }
  if (step.values.subject !== undefined) unit.reindex = true;
}
