import { DomainError, invalidFields, pluginScope, recordTicketHistory, type Services, type TenantScope } from '../../core/plugin-api.js';
import { SLA_COMPONENTS_CHANGED } from '../sla/events.js';
import { positiveId } from './catalogue-store.js';
import type { Actor } from './device-store.js';
import type { HardwareDB } from './hardware-db.js';

export interface TicketPart { id: number; name: string; installation: string; sla_level_id: number | null }

const userActor = (actor: Actor) => (actor.id === null ? { kind: 'system' as const, label: actor.label } : { kind: 'user' as const, id: actor.id, label: actor.label, can: () => true });

const partsOf = (scope: TenantScope<HardwareDB>) => scope.selectFrom('hardware_installation_components')
  .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
  .where('hardware_installation_components.device_id', 'is', null)
  .select(['hardware_installation_components.id', 'hardware_installation_components.name', 'hardware_installations.name as installation', 'hardware_installation_components.sla_level_id'])
  .orderBy('hardware_installations.name').orderBy('hardware_installation_components.name');

/** The parts chosen on a ticket, by installation and name. */
export async function chosenParts(scope: TenantScope<HardwareDB>, ticketId: number): Promise<TicketPart[]> {
  const rows = await partsOf(scope).where('hardware_installation_components.id', 'in', scope.selectFrom('hardware_ticket_parts').select('component_id').where('ticket_id', '=', ticketId)).execute();
  return rows.map((row) => ({ ...row, name: row.name ?? '' }));
}

/** The parts an agent may choose for a ticket: those of the ticket customer's installations not chosen yet (none without a customer). */
export async function offeredParts(scope: TenantScope<HardwareDB>, ticketId: number): Promise<TicketPart[]> {
  const ticket = await scope.selectFrom('tickets').select('organisation_id').where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!ticket || ticket.organisation_id === null) return [];
  const rows = await partsOf(scope).where('hardware_installations.organisation_id', '=', ticket.organisation_id)
    .where('hardware_installation_components.id', 'not in', scope.selectFrom('hardware_ticket_parts').select('component_id').where('ticket_id', '=', ticketId))
    .limit(200).execute();
  return rows.map((row) => ({ ...row, name: row.name ?? '' }));
}

/**
 * Named parts of installations (components without a device) chosen on a ticket: a ticket about the UPS of a
 * customer's server room reaches the part's service level as a linked device reaches its component's
 * (component-levels.ts). An agent chooses among the parts of the ticket customer's installations; choosing or
 * removing one emits sla's `SLA_COMPONENTS_CHANGED` after commit, so the sla plugin (when on) chooses again.
 */
export function partStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  return {
    /** Chooses a part for a ticket: a part of the ticket customer's installations, once. */
    async choose(ticketId: number, componentId: string, actor: Actor): Promise<void> {
      const id = positiveId(componentId);
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await tx.selectFrom('tickets').select(['id', 'number', 'organisation_id']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
        if (!ticket) throw new DomainError('not_found', 'error.notFound');
        const part = id ? await tx.selectFrom('hardware_installation_components')
          .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
          .select(['hardware_installation_components.id', 'hardware_installation_components.name', 'hardware_installations.name as installation', 'hardware_installations.organisation_id'])
          .where('hardware_installation_components.id', '=', id).where('hardware_installation_components.device_id', 'is', null).executeTakeFirst() : undefined;
        // Another customer's part is refused like an unknown one: the ticket's customer decides what it may concern.
        if (!part || part.organisation_id !== ticket.organisation_id) throw invalidFields('error.invalid', { component_id: 'hardware.part.choose' });
        if (await tx.selectFrom('hardware_ticket_parts').select('id').where('ticket_id', '=', ticket.id).where('component_id', '=', part.id).executeTakeFirst()) {
          throw invalidFields('error.invalid', { component_id: 'hardware.part.already' });
        }
        const now = services.clock().toISOString();
        await tx.insertInto('hardware_ticket_parts', { ticket_id: ticket.id, component_id: part.id, linked_at: now, linked_by: actor.id }).execute();
        const label = `${part.installation} · ${part.name ?? ''}`;
        await recordTicketHistory(trx, tenantId, ticket.id, userActor(actor), [{ action: 'hardware.part_linked', note: label }], now);
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.part_linked', target: ticket.number, details: { component: part.id } }, trx);
      });
      await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds: [ticketId] });
    },

    async remove(ticketId: number, componentId: number, actor: Actor): Promise<void> {
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await tx.selectFrom('tickets').select(['id', 'number']).where('id', '=', ticketId).executeTakeFirst();
        if (!ticket) throw new DomainError('not_found', 'error.notFound');
        const part = await tx.selectFrom('hardware_installation_components')
          .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
          .select(['hardware_installation_components.name', 'hardware_installations.name as installation']).where('hardware_installation_components.id', '=', componentId).executeTakeFirst();
        const result = await tx.deleteFrom('hardware_ticket_parts').where('ticket_id', '=', ticketId).where('component_id', '=', componentId).executeTakeFirst();
        if (!part || Number(result.numDeletedRows) === 0) throw new DomainError('not_found', 'error.notFound');
        await recordTicketHistory(trx, tenantId, ticket.id, userActor(actor), [{ action: 'hardware.part_unlinked', note: `${part.installation} · ${part.name ?? ''}` }], services.clock().toISOString());
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.part_unlinked', target: ticket.number, details: { component: componentId } }, trx);
      });
      await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds: [ticketId] });
    },
  };
}
