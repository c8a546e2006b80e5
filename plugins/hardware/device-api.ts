import type { Context } from 'hono';
import { z } from 'zod';
import {
  DomainError, HttpError, apiOne, apiPageOf, defineApiRoute, href, pluginScope, scope, staff, tenantOf, ticketService, type AppEnv,
} from '../../core/plugin-api.js';
import { MANAGE } from './catalogue-routes.js';
import { catalogueStore, modelLabel } from './catalogue-store.js';
import { GROUP_BYS, readDefectQuery } from './defect-period.js';
import { defectReport } from './defect-report.js';
import { STATS } from './defect-routes.js';
import { parseValues } from './device-custom.js';
import { DEVICE_INPUT_KEYS, type DeviceInput } from './device-fields.js';
import { PAGE_SIZE, filteredDevices, readFilter } from './device-list.js';
import { EDIT, VIEW } from './device-routes.js';
import { deviceStore, type DeviceRow } from './device-store.js';
import { DEVICE_STATES, LINK_REASONS, type HardwareDB } from './hardware-db.js';
import { installationStore, type InstallationRow } from './installation-store.js';
import { linkStore } from './link-store.js';
import { LINK } from './ticket-panel.js';

/**
 * Devices, their tickets and history, device-ticket links, models, installations and the defect report over the
 * REST API (/api/v1): the same stores, checks and audit entries as the pages. Refusals are 422 with one message
 * per body path (the device fields keep the form's names), another tenant's ids are 404. A ticket is named by its
 * number, as in the core's ticket operations.
 */
type Ctx = Context<AppEnv>;
const TAG = 'hardware';
const id = z.number().int().positive();
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const ticketParams = z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) });
const actor = (c: Ctx) => ({ id: staff(c).id, label: staff(c).email });
const devices = (c: Ctx) => deviceStore(c.var.services, tenantOf(c).id);
const text = (max: number) => z.string().max(max);
const dateText = z.string().max(10).meta({ description: 'YYYY-MM-DD, empty for none' });

const deviceSchema = z.object({
  id, inventory_number: z.string(), serial_number: z.string().nullable(),
  model_id: id, model: z.string().meta({ description: 'manufacturer and model name' }),
  organisation_id: id, organisation: z.string(),
  person: z.string().nullable().meta({ description: 'the contact person’s e-mail address' }),
  location_id: id.nullable(), state: z.enum(DEVICE_STATES), purchased_on: z.string().nullable(), warranty_until: z.string().nullable(),
  host: z.string().nullable(), notes: z.string().nullable(),
  custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).meta({ description: 'the custom fields by key (Administration → Custom fields, devices)' }),
  created_at: z.string(), updated_at: z.string(),
});
const customBody = z.record(z.string().max(40), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .meta({ description: 'custom field values by key; null or "" clears one; on PATCH only the keys sent change' });
const deviceFields = {
  inventory_number: text(200), serial_number: text(200), model_id: id, organisation_id: id,
  person: text(320).meta({ description: 'e-mail address of a contact person of the organisation; empty for none' }),
  location_id: id.nullable(), state: z.enum(DEVICE_STATES), purchased_on: dateText, warranty_until: dateText,
  host: text(300).meta({ description: 'IP address or host name' }), notes: text(8000),
};
const deviceBody = z.strictObject({
  ...deviceFields, custom_fields: customBody.optional(),
  serial_number: deviceFields.serial_number.optional(), person: deviceFields.person.optional(), location_id: deviceFields.location_id.optional(),
  state: deviceFields.state.default('in_stock'), purchased_on: dateText.optional(), warranty_until: dateText.optional(), host: deviceFields.host.optional(), notes: deviceFields.notes.optional(),
});
const devicePatch = z.strictObject({
  ...(Object.fromEntries(Object.entries(deviceFields).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof typeof deviceFields]: z.ZodOptional<(typeof deviceFields)[K]> }),
  custom_fields: customBody.optional(),
})
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });
const listQuery = z.object({
  type: z.coerce.number().int().positive().optional(), model: z.coerce.number().int().positive().optional(),
  organisation: z.coerce.number().int().positive().optional(), state: z.enum(DEVICE_STATES).optional(),
  location: z.coerce.number().int().positive().optional().meta({ description: 'a site or building takes the rooms below it' }),
  q: z.string().max(100).optional().meta({ description: 'a prefix of the inventory number, serial number or host (case-insensitive)' }),
  page: z.coerce.number().int().positive().max(100_000).default(1),
});
const historySchema = z.object({ at: z.string(), actor: z.string(), field: z.string(), old_value: z.string().nullable(), new_value: z.string().nullable() });
const deviceTicketSchema = z.object({ ticket_number: z.string(), subject: z.string(), status: z.string(), reason: z.enum(LINK_REASONS), ticket_date: z.string() });
const linkBody = z.strictObject({
  device_id: id.optional(), inventory_number: text(200).optional().meta({ description: 'instead of device_id' }), reason: z.enum(LINK_REASONS),
}).refine((body) => body.device_id !== undefined || body.inventory_number !== undefined, { message: 'validation.required', path: ['device_id'] });
const linkedSchema = z.object({ device_id: id, inventory_number: z.string(), reason: z.enum(LINK_REASONS), ticket_date: z.string(), model: z.string() });
const modelSchema = z.object({ id, name: z.string(), type_id: id, manufacturer_id: id, manufacturer: z.string(), type: z.string() });
const modelBody = z.strictObject({ type_id: id, manufacturer_id: id, name: text(500) });
const componentSchema = z.object({
  id: id.meta({ description: 'the component’s id (a part’s is what POST /tickets/{number}/parts takes)' }),
  kind: z.enum(['device', 'part']), name: z.string().nullable().meta({ description: 'the part’s name, or the device’s role in the installation' }),
  device_id: id.nullable(), inventory_number: z.string().nullable(), model: z.string().nullable(),
  sla_level_id: id.nullable().meta({ description: 'the component’s service level (sla plugin), null for none' }),
});
const installationSchema = z.object({
  id, name: z.string(), organisation_id: id, organisation: z.string(), location_id: id.nullable(), notes: z.string().nullable(),
  component_count: z.number().int(), components: z.array(componentSchema).meta({ description: 'its devices and named parts, in the order they were added' }),
});
const installationBody = z.strictObject({ name: text(500), organisation_id: id, location_id: id.nullable().optional(), notes: text(8000).optional() });
const figures = { defects: z.number().int(), installed: z.number(), per_100: z.number().nullable().meta({ description: 'defects per 100 installed units' }) };
const groupSchema = z.object({ key: z.string(), label: z.string(), ...figures, service_days: z.number(), mtbf_days: z.number().nullable().meta({ description: 'days in service per defect' }) });
const reportSchema = z.object({
  from: z.string(), to: z.string(), group_by: z.enum(GROUP_BYS), groups: z.array(groupSchema), total: groupSchema,
  months: z.array(z.object({ month: z.string(), ...figures })),
  top: z.array(z.object({ device_id: id, inventory_number: z.string(), model: z.string(), organisation: z.string(), defects: z.number().int() })),
});
const reportQuery = z.object({
  from: z.string().max(10).optional().meta({ description: 'first day YYYY-MM-DD (default: twelve months back), months cut in the tenant’s time zone' }),
  to: z.string().max(10).optional().meta({ description: 'last day YYYY-MM-DD' }),
  groupBy: z.enum(GROUP_BYS).default('type'),
});

/** A store's refusal (message keys) as the API answers it: translated, at the body's paths. */
function refused(c: Ctx, error: unknown, paths: Record<string, string> = {}): never {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not_found') throw new HttpError(404, c.var.t('error.notFound'));
  const fields = Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [paths[field] ?? field, c.var.t(key)]));
  throw new HttpError(error.kind === 'conflict' ? 409 : error.kind === 'invalid' ? 422 : 403, c.var.t(error.message), fields);
}
async function attempt<T>(c: Ctx, work: () => Promise<T>, paths?: Record<string, string>): Promise<T> {
  try { return await work(); } catch (error) { return refused(c, error, paths); }
}

/** The devices the filter keeps, with the names the answer carries. */
function joined(c: Ctx, filter = readFilter({}).filter) {
  return filteredDevices(c.var.services, tenantOf(c).id, filter)
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
    .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
    .leftJoin('people', 'people.id', 'hardware_devices.person_id')
    .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_devices.serial_number', 'hardware_devices.model_id', 'hardware_devices.organisation_id',
      'hardware_devices.location_id', 'hardware_devices.state', 'hardware_devices.purchased_on', 'hardware_devices.warranty_until', 'hardware_devices.host',
      'hardware_devices.notes', 'hardware_devices.custom_fields', 'hardware_devices.created_at', 'hardware_devices.updated_at',
      'hardware_models.name as model_name', 'hardware_manufacturers.name as manufacturer', 'organisations.name as organisation', 'people.email as person']);
}
type Joined = Awaited<ReturnType<ReturnType<typeof joined>['executeTakeFirstOrThrow']>>;
const deviceOut = ({ model_name, manufacturer, custom_fields, ...row }: Joined): z.input<typeof deviceSchema> => ({ ...row, custom_fields: parseValues(custom_fields), model: modelLabel({ manufacturer, name: model_name }) });

async function oneDevice(c: Ctx, deviceId: number): Promise<Joined> {
  const row = await joined(c).where('hardware_devices.id', '=', deviceId).executeTakeFirst();
  if (!row) throw new HttpError(404, c.var.t('error.notFound'));
  return row;
}
/** The store's form strings from the API's values (a PATCH lays the body over the device's current values). */
function storeInput(values: Partial<Record<keyof typeof deviceFields, string | number | null | undefined>>): DeviceInput {
  return Object.fromEntries(DEVICE_INPUT_KEYS.map((key) => [key, values[key] === null || values[key] === undefined ? '' : String(values[key])])) as unknown as DeviceInput;
}
const currentInput = (row: Joined | DeviceRow & { person: string | null }) => storeInput({ ...row });

/** Installations as the API answers them: each with its components (one query for all). */
async function withComponents(c: Ctx, rows: readonly InstallationRow[]) {
  const components = await installationStore(c.var.services, tenantOf(c).id).componentsOf(rows.map((row) => row.id));
  return rows.map(({ components: count, ...row }) => ({
    ...row, component_count: count,
    components: components.filter((component) => component.installation_id === row.id).map((component) => ({
      id: component.id, kind: component.device_id === null ? 'part' as const : 'device' as const, name: component.name, device_id: component.device_id,
      inventory_number: component.inventory_number, model: component.model === null ? null : modelLabel({ manufacturer: component.manufacturer ?? '', name: component.model }),
      sla_level_id: component.sla_level_id,
    })),
  }));
}

async function ticketOf(c: Ctx, number: string) {
  return ticketService(c).get(number);
}

export const hardwareApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/devices', operationId: 'listDevices', tag: TAG, permission: VIEW,
    summary: 'The tenant’s devices by inventory number, 50 a page, filtered like the device list (plugin hardware)',
    query: listQuery, status: 200, response: apiPageOf(deviceSchema), errors: [403, 404, 422],
    async handle(c, { query }) {
      const { filter } = readFilter(Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'page').map(([key, value]) => [key, value === undefined ? undefined : String(value)])));
      const base = filteredDevices(c.var.services, tenantOf(c).id, filter);
      const [counted, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        joined(c, filter).orderBy('hardware_devices.inventory_number').limit(PAGE_SIZE).offset((query.page - 1) * PAGE_SIZE).execute(),
      ]);
      return { data: rows.map(deviceOut), page: query.page, per_page: PAGE_SIZE, total: Number(counted.n) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/devices', operationId: 'createDevice', tag: TAG, permission: EDIT,
    summary: 'Add a device; answers 201 with its Location (plugin hardware)', body: deviceBody, status: 201, response: apiOne(deviceSchema), errors: [403, 404, 415, 422],
    async handle(c, { body }) {
      const row = await attempt(c, () => devices(c).create({ ...storeInput(body), custom: body.custom_fields ?? {} }, actor(c)));
      c.header('Location', href(c, `/api/v1/devices/${row.id}`));
      return { data: deviceOut(await oneDevice(c, row.id)) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/devices/{id}', operationId: 'getDevice', tag: TAG, permission: VIEW,
    summary: 'One device (plugin hardware)', params: idParams, status: 200, response: apiOne(deviceSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      return { data: deviceOut(await oneDevice(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'patch', path: '/devices/{id}', operationId: 'updateDevice', tag: TAG, permission: EDIT,
    summary: 'Change a device’s fields; each field that moves gets a history line (plugin hardware)',
    params: idParams, body: devicePatch, status: 200, response: apiOne(deviceSchema), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      const current = await oneDevice(c, params.id);
      const { custom_fields: custom, ...fields } = body;
      // Only the custom keys sent change: laid over the stored values, then all checked against the fields of the device's type.
      const input = { ...storeInput({ ...currentInput(current), ...fields }), custom: custom ? { ...parseValues(current.custom_fields), ...custom } : undefined };
      await attempt(c, () => devices(c).update(params.id, input, actor(c)));
      return { data: deviceOut(await oneDevice(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/devices/{id}', operationId: 'deleteDevice', tag: TAG, permission: EDIT,
    summary: 'Delete a device with its history and ticket links (one in an installation: 409) (plugin hardware)',
    params: idParams, status: 204, response: z.null(), errors: [403, 404, 409, 422],
    async handle(c, { params }) {
      await attempt(c, () => devices(c).remove(params.id, actor(c)));
      return null;
    },
  }),
  defineApiRoute({
    method: 'get', path: '/devices/{id}/tickets', operationId: 'listDeviceTickets', tag: TAG, permission: VIEW,
    summary: 'The tickets linked to a device, newest first, with their status (plugin hardware)',
    params: idParams, status: 200, response: z.object({ data: z.array(deviceTicketSchema) }), errors: [403, 404, 422],
    async handle(c, { params }) {
      await oneDevice(c, params.id);
      const rows = await linkStore(c.var.services, tenantOf(c).id).forDevice(params.id);
      return { data: rows.map((row) => ({ ticket_number: row.number, subject: row.subject, status: row.status, reason: row.reason, ticket_date: row.ticket_date })) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/devices/{id}/history', operationId: 'listDeviceHistory', tag: TAG, permission: VIEW,
    summary: 'Every change of a device, oldest first: who, when, field, old → new (ids as digits) (plugin hardware)',
    params: idParams, status: 200, response: z.object({ data: z.array(historySchema) }), errors: [403, 404, 422],
    async handle(c, { params }) {
      await oneDevice(c, params.id);
      const rows = await devices(c).history(params.id);
      return { data: rows.map((row) => ({ at: row.at, actor: row.actor_label, field: row.field, old_value: row.old_value, new_value: row.new_value })) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/tickets/{number}/devices', operationId: 'linkTicketDevice', tag: TAG, permission: LINK,
    summary: 'Link a device (by id or inventory number) to a ticket with a reason; answers the ticket’s devices (plugin hardware)',
    params: ticketParams, body: linkBody, status: 201, response: z.object({ data: z.array(linkedSchema) }), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      const ticket = await ticketOf(c, params.number);
      let deviceId = body.device_id;
      if (deviceId === undefined) {
        const found = await scope<HardwareDB>(c).selectFrom('hardware_devices').select('id').where('inventory_number', '=', body.inventory_number!.trim()).executeTakeFirst();
        if (!found) throw new HttpError(422, c.var.t('error.invalid'), { inventory_number: c.var.t('hardware.link.unknownDevice') });
        deviceId = found.id;
      }
      const links = linkStore(c.var.services, tenantOf(c).id);
      await attempt(c, () => links.link({ ticketId: ticket.id, deviceId: String(deviceId), reason: body.reason }, actor(c)),
        body.device_id === undefined ? { device_id: 'inventory_number' } : {});
      return { data: (await links.forTicket(ticket.id)).map((row) => ({ device_id: row.device_id, inventory_number: row.inventory_number, reason: row.reason, ticket_date: row.ticket_date, model: modelLabel({ manufacturer: row.manufacturer, name: row.model }) })) };
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/tickets/{number}/devices/{deviceId}', operationId: 'unlinkTicketDevice', tag: TAG, permission: LINK,
    summary: 'Remove a device from a ticket (plugin hardware)',
    params: ticketParams.extend({ deviceId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }), status: 204, response: z.null(), errors: [403, 404, 422],
    async handle(c, { params }) {
      const ticket = await ticketOf(c, params.number);
      await attempt(c, () => linkStore(c.var.services, tenantOf(c).id).unlink(ticket.id, params.deviceId, actor(c)));
      return null;
    },
  }),
  defineApiRoute({
    method: 'get', path: '/device-models', operationId: 'listDeviceModels', tag: TAG, permission: VIEW,
    summary: 'The catalogue’s models with their type and manufacturer (plugin hardware)', status: 200, response: z.object({ data: z.array(modelSchema) }), errors: [403, 404],
    async handle(c) {
      const rows = await catalogueStore(c.var.services, tenantOf(c).id).models();
      return { data: rows.map((row) => ({ id: row.id, name: row.name, type_id: row.type_id, manufacturer_id: row.manufacturer_id, manufacturer: row.manufacturer, type: c.var.locale === 'de' ? row.type_de : row.type_en })) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/device-models', operationId: 'createDeviceModel', tag: TAG, permission: MANAGE,
    summary: 'Add a model (type, manufacturer, name unique per manufacturer) (plugin hardware)', body: modelBody, status: 201, response: apiOne(modelSchema), errors: [403, 404, 415, 422],
    async handle(c, { body }) {
      const catalogue = catalogueStore(c.var.services, tenantOf(c).id);
      const created = await attempt(c, () => catalogue.addModel({ type_id: String(body.type_id), manufacturer_id: String(body.manufacturer_id), name: body.name }, actor(c)));
      const row = (await catalogue.models()).find((model) => model.id === created)!;
      return { data: { id: row.id, name: row.name, type_id: row.type_id, manufacturer_id: row.manufacturer_id, manufacturer: row.manufacturer, type: c.var.locale === 'de' ? row.type_de : row.type_en } };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/installations', operationId: 'listInstallations', tag: TAG, permission: VIEW,
    summary: 'The installations with their number of components, optionally of one organisation (plugin hardware)',
    query: z.object({ organisation: z.coerce.number().int().positive().optional() }), status: 200, response: z.object({ data: z.array(installationSchema) }), errors: [403, 404, 422],
    async handle(c, { query }) {
      return { data: await withComponents(c, await installationStore(c.var.services, tenantOf(c).id).list(query.organisation ?? null)) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/installations', operationId: 'createInstallation', tag: TAG, permission: EDIT,
    summary: 'Add an installation at a customer (name unique per customer) (plugin hardware)', body: installationBody, status: 201, response: apiOne(installationSchema), errors: [403, 404, 415, 422],
    async handle(c, { body }) {
      const store = installationStore(c.var.services, tenantOf(c).id);
      const created = await attempt(c, () => store.create({ name: body.name, organisation_id: String(body.organisation_id), location_id: body.location_id ? String(body.location_id) : '', notes: body.notes ?? '' }, actor(c)));
      return { data: (await withComponents(c, [await store.get(created)]))[0]! };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/reports/defects', operationId: 'getDefectReport', tag: TAG, permission: STATS,
    summary: 'The defect statistics of the page /p/hardware/statistics: per group defects, installed base, per 100 units, MTBF; by month; top 10 (plugin hardware)',
    query: reportQuery, status: 200, response: apiOne(reportSchema), errors: [403, 404, 422],
    async handle(c, { query: raw }) {
      const zone = c.var.dates.timeZone;
      const { query, errors } = readDefectQuery({ from: raw.from, to: raw.to, groupBy: raw.groupBy }, c.var.services.clock(), zone);
      if (Object.keys(errors).length) throw new HttpError(422, c.var.t('error.invalid'), Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, c.var.t(key)])));
      const report = await defectReport(pluginScope<HardwareDB>(c.var.services.db, tenantOf(c).id), query, zone, c.var.locale, c.var.t('hardware.location.none'));
      const group = (g: typeof report.total) => ({ key: g.key, label: report.labels.get(g.key) ?? g.key, defects: g.defects, installed: g.installed, per_100: g.per100, service_days: g.serviceDays, mtbf_days: g.mtbfDays });
      return { data: {
        from: query.from, to: query.to, group_by: query.groupBy, groups: report.groups.map(group), total: { ...group(report.total), label: c.var.t('hardware.stats.total') },
        months: report.months.map((m) => ({ month: m.key, defects: m.defects, installed: m.installed, per_100: m.per100 })),
        top: report.topDevices.map((d) => ({ device_id: d.deviceId, inventory_number: d.inventory_number, model: d.model, organisation: d.organisation, defects: d.defects })),
      } };
    },
  }),
];
