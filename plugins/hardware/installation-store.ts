import { DomainError, invalidFields, pluginScope, type Services, type TenantScope } from '../../core/plugin-api.js';
import { SLA_COMPONENTS_CHANGED } from '../sla/events.js';
import { NAME_MAX, positiveId } from './catalogue-store.js';
import { INVENTORY_MAX, NOTES_MAX } from './device-fields.js';
import type { HardwareDB } from './hardware-db.js';
import type { Actor } from './device-store.js';

export interface InstallationInput { name: string; organisation_id: string; location_id: string; notes: string }
export interface ComponentInput { inventory_number: string; name: string; level_id: string }
export interface InstallationRow { id: number; name: string; organisation_id: number; organisation: string; location_id: number | null; notes: string | null; components: number }
export interface ComponentRow {
  id: number; device_id: number | null; name: string | null; sla_level_id: number | null;
  inventory_number: string | null; serial_number: string | null; model: string | null; manufacturer: string | null;
}

/**
 * The tenant's service levels a component may take: the ids the sla plugin offers, or null while the tenant
 * has the sla plugin off (then a form has no level field and a component keeps the level it has).
 */
export type LevelChoice = ReadonlySet<number> | null;

const LIVE = ['new', 'open', 'waiting'] as const;

/** Installations of the tenant's customers and their components (devices or named parts), each optionally with a service level. */
export function installationStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  async function resolve(tx: TenantScope<HardwareDB>, input: InstallationInput, exceptId: number | null) {
    const errors: Record<string, string> = {};
    const name = input.name.trim();
    if (!name) errors.name = 'hardware.field.required';
    else if (name.length > NAME_MAX) errors.name = 'hardware.field.tooLong';
    const organisationId = positiveId(input.organisation_id);
    if (!(organisationId && await tx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst())) errors.organisation_id = 'hardware.field.choose';
    const locationId = input.location_id.trim() ? positiveId(input.location_id) : null;
    if (input.location_id.trim() && !(locationId && await tx.selectFrom('hardware_locations').select('id').where('id', '=', locationId).executeTakeFirst())) errors.location_id = 'hardware.field.choose';
    if (input.notes.length > NOTES_MAX) errors.notes = 'hardware.field.tooLong';
    if (!errors.name && organisationId) {
      let taken = tx.selectFrom('hardware_installations').select('id').where('organisation_id', '=', organisationId).where('name', '=', name);
      if (exceptId) taken = taken.where('id', '!=', exceptId);
      if (await taken.executeTakeFirst()) errors.name = 'hardware.installation.nameTaken';
    }
    if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
    return { name, organisation_id: organisationId!, location_id: locationId, notes: input.notes.trim() ? input.notes.replace(/\r\n/g, '\n').trim() : null };
  }

  /** A level id from the form, checked against the sla plugin's levels: undefined keeps the current one (sla off). */
  function levelOf(value: string, levels: LevelChoice, errors: Record<string, string>): number | null | undefined {
    if (levels === null) return undefined;
    if (!value.trim()) return null;
    const id = positiveId(value);
    if (id && levels.has(id)) return id;
    errors.level_id = 'hardware.field.choose';
    return undefined;
  }

  /** The live tickets (new, open, waiting) linked to a device: their service level may follow its component. */
  async function liveTicketsOf(tx: TenantScope<HardwareDB>, deviceId: number | null): Promise<number[]> {
    if (deviceId === null) return [];
    const rows = await tx.selectFrom('hardware_ticket_links').innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
      .select('hardware_ticket_links.ticket_id').where('hardware_ticket_links.device_id', '=', deviceId)
      .where('tickets.status', 'in', [...LIVE]).where('tickets.deleted_at', 'is', null).execute();
    return rows.map((row) => row.ticket_id);
  }

  /** The live tickets a component concerns: those linked to its device, or those a named part was chosen on. */
  async function liveTicketsOfComponent(tx: TenantScope<HardwareDB>, component: { id: number; device_id: number | null }): Promise<number[]> {
    if (component.device_id !== null) return liveTicketsOf(tx, component.device_id);
    const rows = await tx.selectFrom('hardware_ticket_parts').innerJoin('tickets', 'tickets.id', 'hardware_ticket_parts.ticket_id')
      .select('hardware_ticket_parts.ticket_id').where('hardware_ticket_parts.component_id', '=', component.id)
      .where('tickets.status', 'in', [...LIVE]).where('tickets.deleted_at', 'is', null).execute();
    return rows.map((row) => row.ticket_id);
  }

  /** After commit: the sla plugin (when on) chooses these tickets' levels again. */
  async function levelsMoved(ticketIds: number[]): Promise<void> {
    if (ticketIds.length) await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds });
  }

  const audit = (actor: Actor, target: string, details: Record<string, unknown>, trx = services.db) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.installation_changed', target, details }, trx);

  async function installationIn(tx: TenantScope<HardwareDB>, id: number) {
    const row = await tx.selectFrom('hardware_installations').select(['id', 'name', 'organisation_id']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  }

  return {
    list(organisationId: number | null): Promise<InstallationRow[]> {
      let query = scope.selectFrom('hardware_installations')
        .innerJoin('organisations', 'organisations.id', 'hardware_installations.organisation_id')
        .select((eb) => [
          'hardware_installations.id', 'hardware_installations.name', 'hardware_installations.organisation_id', 'organisations.name as organisation',
          'hardware_installations.location_id', 'hardware_installations.notes',
          eb.selectFrom('hardware_installation_components').select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('hardware_installation_components.installation_id', '=', 'hardware_installations.id').as('components'),
        ]);
      if (organisationId !== null) query = query.where('hardware_installations.organisation_id', '=', organisationId);
      return query.orderBy('organisations.name').orderBy('hardware_installations.name').limit(500).execute()
        .then((rows) => rows.map((row) => ({ ...row, components: Number(row.components ?? 0) })));
    },

    async get(id: number): Promise<InstallationRow> {
      const row = await scope.selectFrom('hardware_installations').innerJoin('organisations', 'organisations.id', 'hardware_installations.organisation_id')
        .select(['hardware_installations.id', 'hardware_installations.name', 'hardware_installations.organisation_id', 'organisations.name as organisation',
          'hardware_installations.location_id', 'hardware_installations.notes'])
        .where('hardware_installations.id', '=', id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'error.notFound');
      return { ...row, components: 0 };
    },

    async create(input: InstallationInput, actor: Actor): Promise<number> {
      const now = services.clock().toISOString();
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const values = await resolve(tx, input, null);
        const row = await tx.insertInto('hardware_installations', { ...values, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.installation_created', target: values.name }, trx);
        return row.id;
      });
    },

    async update(id: number, input: InstallationInput, actor: Actor): Promise<void> {
      const now = services.clock().toISOString();
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await installationIn(tx, id);
        const values = await resolve(tx, input, id);
        await tx.updateTable('hardware_installations').set({ ...values, updated_at: now }).where('id', '=', id).execute();
        await audit(actor, values.name, { changed: 'facts' }, trx);
      });
    },

    components(installationId: number): Promise<ComponentRow[]> {
      return this.componentsOf([installationId]).then((rows) => rows.map(({ installation_id: _, ...row }) => row));
    },

    /** The components of several installations in one query (devices with their model, and named parts), in the order they were added. */
    componentsOf(installationIds: readonly number[]): Promise<Array<ComponentRow & { installation_id: number }>> {
      if (installationIds.length === 0) return Promise.resolve([]);
      return scope.selectFrom('hardware_installation_components')
        .leftJoin('hardware_devices', 'hardware_devices.id', 'hardware_installation_components.device_id')
        .leftJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
        .leftJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
        .select(['hardware_installation_components.installation_id', 'hardware_installation_components.id', 'hardware_installation_components.device_id', 'hardware_installation_components.name',
          'hardware_installation_components.sla_level_id', 'hardware_devices.inventory_number', 'hardware_devices.serial_number',
          'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer'])
        .where('hardware_installation_components.installation_id', 'in', [...installationIds])
        .orderBy('hardware_installation_components.id').execute();
    },

    /** The installation a device stands in, if any (for the device's page). */
    forDevice(deviceId: number) {
      return scope.selectFrom('hardware_installation_components')
        .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
        .select(['hardware_installations.id', 'hardware_installations.name']).where('hardware_installation_components.device_id', '=', deviceId).executeTakeFirst();
    },

    /**
     * Adds a device of the installation's customer (by inventory number; one installation per device) or a named part
     * (inventory number empty, name given), with a level when the sla plugin is on.
     */
    async addComponent(installationId: number, input: ComponentInput, levels: LevelChoice, actor: Actor): Promise<void> {
      const now = services.clock().toISOString();
      const tickets = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const installation = await installationIn(tx, installationId);
        const errors: Record<string, string> = {};
        const inventory = input.inventory_number.trim();
        const name = input.name.trim();
        if (name.length > NAME_MAX) errors.name = 'hardware.field.tooLong';
        let deviceId: number | null = null;
        if (inventory) {
          const device = inventory.length <= INVENTORY_MAX
            ? await tx.selectFrom('hardware_devices').select(['id', 'organisation_id']).where('inventory_number', '=', inventory).executeTakeFirst() : undefined;
          if (!device) errors.inventory_number = 'hardware.installation.deviceUnknown';
          else if (device.organisation_id !== installation.organisation_id) errors.inventory_number = 'hardware.installation.deviceElsewhere';
          else if (await tx.selectFrom('hardware_installation_components').select('id').where('device_id', '=', device.id).executeTakeFirst()) errors.inventory_number = 'hardware.installation.deviceTaken';
          else deviceId = device.id;
        } else if (!name) {
          errors.inventory_number = 'hardware.installation.deviceOrPart';
        }
        const level = levelOf(input.level_id, levels, errors);
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        await tx.insertInto('hardware_installation_components', { installation_id: installationId, device_id: deviceId, name: name || null, sla_level_id: level ?? null, created_at: now }).execute();
        await audit(actor, installation.name, { added: inventory || name, level: level ?? null }, trx);
        return level ? liveTicketsOf(tx, deviceId) : [];
      });
      await levelsMoved(tickets);
    },

    /** Changes a component's level (and its name); the tickets of its device get their level chosen again. */
    async updateComponent(installationId: number, componentId: number, input: { name: string; level_id: string }, levels: LevelChoice, actor: Actor): Promise<void> {
      const tickets = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const installation = await installationIn(tx, installationId);
        const component = await tx.selectFrom('hardware_installation_components').select(['id', 'device_id', 'sla_level_id'])
          .where('id', '=', componentId).where('installation_id', '=', installationId).executeTakeFirst();
        if (!component) throw new DomainError('not_found', 'error.notFound');
        const errors: Record<string, string> = {};
        const name = input.name.trim();
        if (name.length > NAME_MAX) errors.name = 'hardware.field.tooLong';
        if (!name && component.device_id === null) errors.name = 'hardware.field.required';
        const level = levelOf(input.level_id, levels, errors);
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        await tx.updateTable('hardware_installation_components').set({ name: name || null, ...(level !== undefined ? { sla_level_id: level } : {}) }).where('id', '=', componentId).execute();
        await audit(actor, installation.name, { component: componentId, level: level ?? component.sla_level_id }, trx);
        return level !== undefined && level !== component.sla_level_id ? liveTicketsOfComponent(tx, component) : [];
      });
      await levelsMoved(tickets);
    },

    async removeComponent(installationId: number, componentId: number, actor: Actor): Promise<void> {
      const tickets = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const installation = await installationIn(tx, installationId);
        const component = await tx.selectFrom('hardware_installation_components').select(['id', 'device_id', 'sla_level_id'])
          .where('id', '=', componentId).where('installation_id', '=', installationId).executeTakeFirst();
        if (!component) throw new DomainError('not_found', 'error.notFound');
        const tickets = component.sla_level_id !== null ? await liveTicketsOfComponent(tx, component) : [];
        await tx.deleteFrom('hardware_ticket_parts').where('component_id', '=', componentId).execute();
        await tx.deleteFrom('hardware_installation_components').where('id', '=', componentId).execute();
        await audit(actor, installation.name, { removed: componentId }, trx);
        return tickets;
      });
      await levelsMoved(tickets);
    },
  };
}
