import type { Child } from 'hono/jsx';
import {
  SelectField, invalidFields, scopeFor, type PortalPerson, type SlotContext, type TenantScope, type TicketChangePayload,
  type TicketCreateFieldsProps, type FilterContext,
} from '../../core/plugin-api.js';
import type { PortalViewer } from '../portal/extension-points.js';
import type { HardwareDB } from './hardware-db.js';
import { readSettings } from './settings.js';

/** The create forms' input: the inventory number of one of the requester's devices, or `part:<id>` for a named part. */
export const DEVICE_FIELD = 'p.hardware.device';
const PART = /^part:([1-9][0-9]{0,15})$/;

type Viewer = Pick<PortalPerson, 'id' | 'organisation_id' | 'is_org_manager'>;

/**
 * The devices a portal user sees, following the portal's rule: an organisation manager sees the
 * organisation's devices, everyone else the devices assigned to them; never another organisation's.
 */
export function visibleDevices(scope: TenantScope<HardwareDB>, viewer: Viewer) {
  let query = scope.selectFrom('hardware_devices').where('hardware_devices.organisation_id', '=', viewer.organisation_id ?? -1);
  if (!viewer.is_org_manager) query = query.where('hardware_devices.person_id', '=', viewer.id);
  return query;
}

/**
 * The named parts (components without a device) a portal user may say a request is about, by the same rule: an
 * organisation manager those of every installation of the organisation, everyone else those of the installations
 * one of their own devices stands in.
 */
export function visibleParts(scope: TenantScope<HardwareDB>, viewer: Viewer) {
  let query = scope.selectFrom('hardware_installation_components')
    .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
    .where('hardware_installation_components.device_id', 'is', null)
    .where('hardware_installations.organisation_id', '=', viewer.organisation_id ?? -1);
  if (!viewer.is_org_manager) {
    query = query.where('hardware_installations.id', 'in', scope.selectFrom('hardware_installation_components')
      .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_installation_components.device_id')
      .select('hardware_installation_components.installation_id').where('hardware_devices.person_id', '=', viewer.id));
  }
  return query;
}

async function partOptions(scope: TenantScope<HardwareDB>, viewer: Viewer) {
  return visibleParts(scope, viewer).select(['hardware_installation_components.id', 'hardware_installation_components.name', 'hardware_installations.name as installation'])
    .orderBy('hardware_installations.name').orderBy('hardware_installation_components.name').limit(200).execute();
}

async function deviceOptions(scope: TenantScope<HardwareDB>, viewer: Viewer) {
  return visibleDevices(scope, viewer).innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
    .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_devices.state', 'hardware_devices.host', 'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer'])
    .where('hardware_devices.state', '!=', 'retired').orderBy('hardware_devices.inventory_number').limit(200).execute();
}

/** The portal home's card: the viewer's devices (nothing for visitors or people without an organisation). */
export async function PortalDevicesCard(ctx: SlotContext<PortalViewer>): Promise<Child> {
  const person = ctx.props.person;
  if (!person?.organisation_id) return null;
  const rows = await deviceOptions(scopeFor<HardwareDB>(ctx.scope), person);
  return (
    <section class="card stack hardware-portal" id="hardware-portal-devices">
      <h2>{ctx.t(person.is_org_manager ? 'hardware.portal.organisationDevices' : 'hardware.portal.myDevices')}</h2>
      {rows.length === 0 ? <p class="muted">{ctx.t('hardware.device.none')}</p> : (
        <ul class="hardware-list">
          {rows.map((row) => <li id={`hardware-portal-device-${row.id}`}><strong>{row.inventory_number}</strong> {row.manufacturer} {row.model} <span class="muted">{ctx.t(`hardware.state.${row.state}`)}</span></li>)}
        </ul>
      )}
    </section>
  );
}

/**
 * The portal's new request form: where the tenant allows it, a choice of the viewer's devices (a plain
 * select, so it works without JavaScript). Nothing when the viewer has no device to pick, unless a refused
 * pick needs its message at the field.
 */
export async function DevicePickField(ctx: SlotContext<TicketCreateFieldsProps>): Promise<Child> {
  const { props } = ctx;
  if (props.surface !== 'portal' || !(await readSettings(ctx.scope)).portalPick) return null;
  const scope = scopeFor<HardwareDB>(ctx.scope);
  const [rows, parts] = props.person.organisation_id ? await Promise.all([deviceOptions(scope, props.person), partOptions(scope, props.person)]) : [[], []];
  const error = props.errors[DEVICE_FIELD];
  if (rows.length === 0 && parts.length === 0 && !error) return null;
  const devices = rows.map((row) => ({ value: row.inventory_number, label: `${row.inventory_number} · ${row.manufacturer} ${row.model}` }));
  // With parts to offer, devices and parts stand in two groups of the one choice ("what is this about").
  return (
    <div id="hardware-device-pick">
      <SelectField name={DEVICE_FIELD} label={ctx.t(parts.length ? 'hardware.portal.pickAbout' : 'hardware.portal.pick')} value={props.values[DEVICE_FIELD] ?? ''}
        empty={ctx.t('hardware.portal.noDevice')} errors={error ? { [DEVICE_FIELD]: error } : undefined}
        options={parts.length ? [] : devices}
        groups={parts.length ? [
          ...(devices.length ? [{ label: ctx.t('hardware.portal.devicesGroup'), options: devices }] : []),
          { label: ctx.t('hardware.portal.partsGroup'), options: parts.map((part) => ({ value: `part:${part.id}`, label: `${part.installation} · ${part.name ?? ''}` })) },
        ] : undefined} />
    </div>
  );
}

/**
 * The create transaction's check: a picked inventory number must name a device the requester sees
 * (the same rule as the card), a picked `part:<id>` a part the requester sees; otherwise the form answers 422 at
 * the field and nothing is saved. An accepted device is linked to the new ticket with the reason "question" and
 * the ticket's date; an accepted part is chosen on it.
 */
export async function checkPickedDevice(payload: TicketChangePayload, { scope }: FilterContext): Promise<void> {
  const sent = payload.pluginFields[DEVICE_FIELD];
  if (sent === undefined || !sent.trim()) return;
  const tx = scopeFor<HardwareDB>(scope);
  const refuse = () => invalidFields('hardware.portal.pickRefused', { [DEVICE_FIELD]: 'hardware.portal.pickRefused' });
  if (!(await readSettings(scope)).portalPick) throw refuse();
  const ticket = await tx.selectFrom('tickets').select(['id', 'created_at', 'organisation_id', 'requester_id']).where('id', '=', payload.ticketId).executeTakeFirst();
  const requester = ticket?.requester_id ? await tx.selectFrom('people').select(['id', 'organisation_id', 'is_org_manager']).where('id', '=', ticket.requester_id).executeTakeFirst() : undefined;
  if (!ticket || !requester?.organisation_id || requester.organisation_id !== ticket.organisation_id) throw refuse();
  const part = PART.exec(sent.trim());
  if (part) {
    // A named part of an installation the requester sees: chosen on the new ticket (its service level applies through component-levels.ts).
    const component = await visibleParts(tx, requester).select('hardware_installation_components.id').where('hardware_installation_components.id', '=', Number(part[1])).executeTakeFirst();
    if (!component) throw refuse();
    await tx.insertInto('hardware_ticket_parts', { ticket_id: ticket.id, component_id: component.id, linked_at: ticket.created_at, linked_by: null }).execute();
    return;
  }
  const device = await visibleDevices(tx, requester).select('hardware_devices.id').where('hardware_devices.inventory_number', '=', sent.trim()).executeTakeFirst();
  if (!device) throw refuse();
  await tx.insertInto('hardware_ticket_links', { ticket_id: ticket.id, device_id: device.id, reason: 'question', ticket_date: ticket.created_at, linked_at: ticket.created_at, linked_by: null }).execute();
}
