import type { Child } from 'hono/jsx';
import {
  SelectField, invalidFields, scopeFor, type PortalPerson, type SlotContext, type TenantScope, type TicketChangePayload,
  type TicketCreateFieldsProps, type FilterContext,
} from '../../core/plugin-api.js';
import type { PortalViewer } from '../portal/extension-points.js';
import type { HardwareDB } from './hardware-db.js';
import { readSettings } from './settings.js';

/** The create forms' input: the inventory number of one of the requester's devices. */
export const DEVICE_FIELD = 'p.hardware.device';

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
  const rows = props.person.organisation_id ? await deviceOptions(scopeFor<HardwareDB>(ctx.scope), props.person) : [];
  const error = props.errors[DEVICE_FIELD];
  if (rows.length === 0 && !error) return null;
  return (
    <div id="hardware-device-pick">
      <SelectField name={DEVICE_FIELD} label={ctx.t('hardware.portal.pick')} value={props.values[DEVICE_FIELD] ?? ''} empty={ctx.t('hardware.portal.noDevice')}
        errors={error ? { [DEVICE_FIELD]: error } : undefined}
        options={rows.map((row) => ({ value: row.inventory_number, label: `${row.inventory_number} · ${row.manufacturer} ${row.model}` }))} />
    </div>
  );
}

/**
 * The create transaction's check: a picked inventory number must name a device the requester sees
 * (the same rule as the card); otherwise the form answers 422 at the field and nothing is saved.
 * An accepted pick is linked to the new ticket with the reason "question" and the ticket's date.
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
  const device = await visibleDevices(tx, requester).select('hardware_devices.id').where('hardware_devices.inventory_number', '=', sent.trim()).executeTakeFirst();
  if (!device) throw refuse();
  await tx.insertInto('hardware_ticket_links', { ticket_id: ticket.id, device_id: device.id, reason: 'question', ticket_date: ticket.created_at, linked_at: ticket.created_at, linked_by: null }).execute();
}
