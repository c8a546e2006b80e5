import { DomainError, invalidFields, pluginScope, recordTicketHistory, type Services, type TicketStatus } from '../../core/plugin-api.js';
import { SLA_COMPONENTS_CHANGED } from '../sla/events.js';
import { positiveId } from './catalogue-store.js';
import { LINK_REASONS, type HardwareDB, type LinkReason } from './hardware-db.js';
import type { Actor } from './device-store.js';

export interface LinkedDevice { device_id: number; inventory_number: string; reason: LinkReason; ticket_date: string; model: string; manufacturer: string; host: string | null; serial_number: string | null }
export interface LinkedTicket { ticket_id: number; number: string; subject: string; status: TicketStatus; reason: LinkReason; ticket_date: string }
export interface Candidate { id: number; inventory_number: string; serial_number: string | null; host: string | null; model: string; manufacturer: string; organisation: string; own: boolean }

const userActor = (actor: Actor) => (actor.id === null ? { kind: 'system' as const, label: actor.label } : { kind: 'user' as const, id: actor.id, label: actor.label, can: () => true });

export const isReason = (value: string): value is LinkReason => (LINK_REASONS as readonly string[]).includes(value);

/** Links between the tenant's tickets and devices: made and undone by agents, listed on both pages. */
export function linkStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  const devicesJoined = () => scope.selectFrom('hardware_devices')
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id');

  return {
    forTicket(ticketId: number): Promise<LinkedDevice[]> {
      return scope.selectFrom('hardware_ticket_links')
        .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
        .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
        .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
        .select(['hardware_ticket_links.device_id', 'hardware_devices.inventory_number', 'hardware_ticket_links.reason', 'hardware_ticket_links.ticket_date',
          'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer', 'hardware_devices.host', 'hardware_devices.serial_number'])
        .where('hardware_ticket_links.ticket_id', '=', ticketId).orderBy('hardware_devices.inventory_number').execute();
    },

    forDevice(deviceId: number): Promise<LinkedTicket[]> {
      return scope.selectFrom('hardware_ticket_links')
        .innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
        .select(['hardware_ticket_links.ticket_id', 'tickets.number', 'tickets.subject', 'tickets.status', 'hardware_ticket_links.reason', 'hardware_ticket_links.ticket_date'])
        .where('hardware_ticket_links.device_id', '=', deviceId).where('tickets.deleted_at', 'is', null)
        .orderBy('hardware_ticket_links.ticket_date', 'desc').limit(200).execute();
    },

    /**
     * Devices an agent may link to a ticket: those matching `q` as a prefix of inventory number, serial
     * number or host, or a part of the model's name; the ticket customer's devices first. Without `q`,
     * the customer's devices.
     */
    async candidates(ticketId: number, q: string): Promise<Candidate[]> {
      const ticket = await scope.selectFrom('tickets').select(['id', 'organisation_id']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!ticket) throw new DomainError('not_found', 'error.notFound');
      const text = q.trim().replace(/[%\\]/g, '').slice(0, 100);
      if (!text && !ticket.organisation_id) return [];
      let query = devicesJoined().innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
        .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_devices.serial_number', 'hardware_devices.host',
          'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer', 'organisations.name as organisation', 'hardware_devices.organisation_id'])
        .where('hardware_devices.id', 'not in', scope.selectFrom('hardware_ticket_links').select('device_id').where('ticket_id', '=', ticketId));
      if (text) {
        const like = services.database.dialect === 'postgres' ? 'ilike' : 'like';
        query = query.where((eb) => eb.or([
          eb('hardware_devices.inventory_number', like, `${text}%`),
          eb('hardware_devices.serial_number', like, `${text}%`),
          eb('hardware_devices.host', like, `${text}%`),
          eb('hardware_models.name', like, `%${text}%`),
        ]));
      } else {
        query = query.where('hardware_devices.organisation_id', '=', ticket.organisation_id!);
      }
      const own = ticket.organisation_id ?? -1;
      const rows = await query
        .orderBy((eb) => eb.case().when('hardware_devices.organisation_id', '=', own).then(0).else(1).end())
        .orderBy('hardware_devices.inventory_number').limit(20).execute();
      return rows.map(({ organisation_id, ...row }) => ({ ...row, own: organisation_id === ticket.organisation_id }));
    },

    /** Links a device to a ticket with a reason, recording the ticket's date; a second link of the pair is refused. */
    async link(input: { ticketId: number; deviceId: string; reason: string }, actor: Actor): Promise<void> {
      const errors: Record<string, string> = {};
      const deviceId = positiveId(input.deviceId);
      if (!isReason(input.reason)) errors.reason = 'hardware.field.choose';
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await tx.selectFrom('tickets').select(['id', 'number', 'created_at']).where('id', '=', input.ticketId).where('deleted_at', 'is', null).executeTakeFirst();
        if (!ticket) throw new DomainError('not_found', 'error.notFound');
        const device = deviceId ? await tx.selectFrom('hardware_devices').select(['id', 'inventory_number']).where('id', '=', deviceId).executeTakeFirst() : undefined;
        if (!device) errors.device_id = 'hardware.link.unknownDevice';
        else if (await tx.selectFrom('hardware_ticket_links').select('id').where('ticket_id', '=', ticket.id).where('device_id', '=', device.id).executeTakeFirst()) {
          errors.device_id = 'hardware.link.already';
        }
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        const now = services.clock().toISOString();
        await tx.insertInto('hardware_ticket_links', {
          ticket_id: ticket.id, device_id: device!.id, reason: input.reason as LinkReason, ticket_date: ticket.created_at, linked_at: now, linked_by: actor.id,
        }).execute();
        // The ticket's timeline says so too (worded from `hardware.device_linked.history`).
        await recordTicketHistory(trx, tenantId, ticket.id, userActor(actor), [{ action: 'hardware.device_linked', field: 'reason', new: input.reason, note: device!.inventory_number }], now);
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.device_linked', target: ticket.number, details: { device: device!.inventory_number, reason: input.reason } }, trx);
      });
      // The ticket may concern a component with a service level now (the sla plugin, when on, chooses again).
      await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds: [input.ticketId] });
    },

    async unlink(ticketId: number, deviceId: number, actor: Actor): Promise<void> {
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await tx.selectFrom('tickets').select(['id', 'number']).where('id', '=', ticketId).executeTakeFirst();
        if (!ticket) throw new DomainError('not_found', 'error.notFound');
        const device = await tx.selectFrom('hardware_devices').select('inventory_number').where('id', '=', deviceId).executeTakeFirst();
        const result = await tx.deleteFrom('hardware_ticket_links').where('ticket_id', '=', ticketId).where('device_id', '=', deviceId).executeTakeFirst();
        if (!device || Number(result.numDeletedRows) === 0) throw new DomainError('not_found', 'error.notFound');
        await recordTicketHistory(trx, tenantId, ticket.id, userActor(actor), [{ action: 'hardware.device_unlinked', note: device.inventory_number }], services.clock().toISOString());
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.device_unlinked', target: ticket.number, details: { deviceId } }, trx);
      });
      await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds: [ticketId] });
    },
  };
}
