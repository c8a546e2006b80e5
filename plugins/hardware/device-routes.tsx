import type { Context, Hono } from 'hono';
import {
  DomainError, Page, Pagination, SelectField, TextField, allRecordFieldDefinitions, customInputFromForm, flash, formatCustomValue, formatDateTime, href, organisationDisplay, pageParam,
  pluginScope, redirectTo, render, requirePermission, resolvePicked, scope, staff, tenantOf, zonedDayEnd, type AppEnv,
} from '../../core/plugin-api.js';
import { catalogueStore, modelLabel, typeName } from './catalogue-store.js';
import { activeDefinitions, customFormValues, fieldsForType, parseValues, showHistoryValue } from './device-custom.js';
import { DEVICE_KIND } from './device-kind.js';
import { DeviceFilesCard } from './device-files-card.js';
import { deviceFiles } from './device-files.js';
import { DeviceForm } from './device-form.js';
import { DEVICE_FIELDS, NOTES_MAX, SERIAL_MAX, deviceInput, isDate, type DeviceInput, type DeviceValues } from './device-fields.js';
import { deviceLabels } from './device-labels.js';
import { PAGE_SIZE, listDevices, readCursor, readFilter, type DeviceFilter } from './device-list.js';
import { deviceStore, type DeviceRow } from './device-store.js';
import { DEVICE_STATES, type HardwareDB } from './hardware-db.js';
import { STATS } from './defect-routes.js';
import { installationStore } from './installation-store.js';
import { linkStore } from './link-store.js';

export const VIEW = 'hardware.view';
export const EDIT = 'hardware.devices';

const actorOf = (c: Context<AppEnv>) => ({ id: staff(c).id, label: staff(c).email });
const idParam = (c: Context<AppEnv>) => Number(c.req.param('id'));

/** The staff pages under /p/hardware: the device list, a device's page (also "as of" a day), new and edit forms. */
export function deviceRoutes(app: Hono<AppEnv>): void {
  app.get('/', requirePermission(VIEW), async (c) => {
    const { filter, errors } = readFilter(c.req.query());
    const page = pageParam(c.req.query('page'));
    // The filter form's choices are read while the page's devices are counted and read (one wait instead of two).
    const catalogue = catalogueStore(c.var.services, tenantOf(c).id);
    const [result, ...choices] = await Promise.all([
      Object.keys(errors).length ? { rows: [], total: 0 } : listDevices(c.var.services, tenantOf(c).id, filter, page, readCursor(c.req.query())),
      catalogue.types(), catalogue.models(), catalogue.locations(),
    ]);
    return listPage(c, filter, errors, page, result, choices);
  });

  app.get('/devices/new', requirePermission(EDIT), async (c) => formPage(c, null, emptyInput(c.req.query('organisation'))));
  app.post('/devices', requirePermission(EDIT), async (c) => {
    const { values, pickerError } = await formValues(c);
    try {
      if (pickerError) throw new DomainError('invalid', 'error.invalid', { organisation_id: pickerError });
      const device = await deviceStore(c.var.services, tenantOf(c).id).create(values, actorOf(c));
      flash(c, 'success', c.var.t('hardware.device.created'));
      return redirectTo(c, href(c, `/p/hardware/devices/${device.id}`));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return formPage(c, null, values, error.fields);
    }
  });

  app.get('/devices/:id{[0-9]+}', requirePermission(VIEW), async (c) => devicePage(c, await deviceStore(c.var.services, tenantOf(c).id).get(idParam(c))));

  app.get('/devices/:id{[0-9]+}/edit', requirePermission(EDIT), async (c) => {
    const device = await deviceStore(c.var.services, tenantOf(c).id).get(idParam(c));
    const person = device.person_id ? await scope(c).selectFrom('people').select('email').where('id', '=', device.person_id).executeTakeFirst() : undefined;
    return formPage(c, device, {
      inventory_number: device.inventory_number, serial_number: device.serial_number ?? '', model_id: String(device.model_id), organisation_id: String(device.organisation_id),
      person: person?.email ?? '', location_id: device.location_id ? String(device.location_id) : '', state: device.state, purchased_on: device.purchased_on ?? '',
      warranty_until: device.warranty_until ?? '', host: device.host ?? '', notes: device.notes ?? '', custom: parseValues(device.custom_fields),
    });
  });
  app.post('/devices/:id{[0-9]+}', requirePermission(EDIT), async (c) => {
    const store = deviceStore(c.var.services, tenantOf(c).id);
    const device = await store.get(idParam(c));
    const { values, pickerError } = await formValues(c);
    try {
      if (pickerError) throw new DomainError('invalid', 'error.invalid', { organisation_id: pickerError });
      await store.update(device.id, values, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return formPage(c, device, values, error.fields);
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, `/p/hardware/devices/${device.id}`));
  });
}

function emptyInput(organisation?: string): DeviceInput {
  return { inventory_number: '', serial_number: '', model_id: '', organisation_id: organisation && /^\d{1,9}$/.test(organisation) ? organisation : '', person: '', location_id: '', state: 'in_stock', purchased_on: '', warranty_until: '', host: '', notes: '' };
}

/** The form's values, with the organisation picker's no-JavaScript text resolved to an id (or its message). */
async function formValues(c: Context<AppEnv>): Promise<{ values: DeviceInput; pickerError: string | undefined }> {
  const body = await c.req.parseBody();
  const raw = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string | undefined>;
  const pickerError = await resolvePicked(c, raw, 'organisation_id');
  return { values: { ...deviceInput(raw), custom: customInputFromForm(raw) }, pickerError };
}

async function formPage(c: Context<AppEnv>, device: DeviceRow | null, values: DeviceInput, fields?: Readonly<Record<string, string>>) {
  const t = c.var.t;
  const catalogue = catalogueStore(c.var.services, tenantOf(c).id);
  const [models, locations, definitions] = await Promise.all([
    catalogue.models(), catalogue.locations(), activeDefinitions(pluginScope<HardwareDB>(c.var.services.db, tenantOf(c).id)),
  ]);
  const maxOf = (field: string) => (field === 'notes' ? NOTES_MAX : field.startsWith('custom_fields.') ? 500 : SERIAL_MAX);
  const errors = fields ? Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, t(key, { max: maxOf(field) })])) : undefined;
  // The fields of the chosen model's type; a device's stored values unless the form sent them.
  const typeId = models.find((model) => String(model.id) === values.model_id.trim())?.type_id ?? null;
  const customFields = fieldsForType(definitions, typeId);
  const custom = { fields: customFields, values: customFormValues(customFields, device ? parseValues(device.custom_fields) : {}, values.custom) };
  const title = device ? t('hardware.device.edit', { number: device.inventory_number }) : t('hardware.device.new');
  return render(c, {
    title,
    status: fields ? 422 : 200,
    page: (
      <Page title={title} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: title }]}>
        {models.length === 0 ? <p class="muted" id="hardware-no-models">{t('hardware.device.noModels')}</p> : null}
        <DeviceForm c={c} action={href(c, device ? `/p/hardware/devices/${device.id}` : '/p/hardware/devices')} values={values} errors={errors}
          organisationName={await organisationDisplay(c, values.organisation_id)} models={models} locations={locations} submit={t('common.save')} custom={custom} />
      </Page>
    ),
  });
}

type Catalogue = ReturnType<typeof catalogueStore>;
type Choices = [Awaited<ReturnType<Catalogue['types']>>, Awaited<ReturnType<Catalogue['models']>>, Awaited<ReturnType<Catalogue['locations']>>];

async function listPage(c: Context<AppEnv>, filter: DeviceFilter, fields: Record<string, string>, page: number, result: Awaited<ReturnType<typeof listDevices>>, choices: Choices) {
  const t = c.var.t;
  const [types, models, locations] = choices;
  const errors = Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, t(key, { max: 100 })]));
  // The next page starts after this page's last inventory number, the previous one before its first (keyset paging,
  // readCursor); page 1 needs no cursor. The page number stays in the link for the "page n of m" line.
  const cursorOf = (p: number): Record<string, string> => {
    if (p <= 1 || result.rows.length === 0) return {};
    if (p === page + 1) return { after: result.rows.at(-1)!.inventory_number };
    if (p === page - 1) return { before: result.rows[0]!.inventory_number };
    return {};
  };
  const link = (p: number) => href(c, `/p/hardware?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)), page: String(p), ...cursorOf(p) })}`);
  return render(c, {
    title: t('hardware.devices'),
    status: Object.keys(fields).length ? 422 : 200,
    page: (
      <Page title={t('hardware.devices')} actions={<>
        <a class="button" href={href(c, '/p/hardware/installations')} id="hardware-installations-link">{t('hardware.installations')}</a>
        {c.var.can(STATS) ? <a class="button" href={href(c, '/p/hardware/statistics')} id="hardware-statistics-link">{t('hardware.stats.title')}</a> : null}
        <a class="button" href={href(c, `/p/hardware/devices.csv?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v))}`)} id="hardware-export" download>{t('hardware.export')}</a>
        <a class="button" href={href(c, `/p/hardware/labels?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v))}`)} id="hardware-labels-link" target="_blank">{t('hardware.labels.button')}</a>
        {c.var.can(EDIT) ? <a class="button" href={href(c, '/p/hardware/import')} id="hardware-import">{t('hardware.import.title')}</a> : null}
        {c.var.can(EDIT) ? <a class="button" href={href(c, '/p/hardware/devices/new')} id="hardware-new">{t('hardware.device.new')}</a> : null}
      </>}>
        <form method="get" action={href(c, '/p/hardware')} class="card hardware-filter" id="hardware-filter">
          <TextField name="q" type="search" label={t('hardware.filter.q')} value={filter.q} errors={errors} maxlength={100} />
          <SelectField name="type" label={t('hardware.type')} value={filter.type} errors={errors} empty={t('hardware.filter.any')} options={types.map((row) => ({ value: row.id, label: typeName(row, c.var.locale) }))} />
          <SelectField name="model" label={t('hardware.model')} value={filter.model} errors={errors} empty={t('hardware.filter.any')} options={models.map((row) => ({ value: row.id, label: modelLabel(row) }))} />
          <SelectField name="state" label={t('hardware.device.state')} value={filter.state} errors={errors} empty={t('hardware.filter.any')} options={DEVICE_STATES.map((s) => ({ value: s, label: t(`hardware.state.${s}`) }))} />
          <SelectField name="location" label={t('hardware.location')} value={filter.location} errors={errors} empty={t('hardware.filter.any')} options={locations.map((row) => ({ value: row.id, label: row.path }))} />
          {filter.organisation ? <input type="hidden" name="organisation" value={filter.organisation} /> : null}
          <div class="hardware-actions"><button type="submit" class="button" id="hardware-filter-apply">{t('hardware.filter.apply')}</button> <a href={href(c, '/p/hardware')}>{t('hardware.filter.reset')}</a></div>
        </form>
        {filter.organisation ? <p class="muted" id="hardware-filter-organisation">{t('hardware.filter.organisation', { name: (await organisationDisplay(c, filter.organisation)) ?? `#${filter.organisation}` })}</p> : null}
        {result.rows.length === 0 ? <p class="muted" id="hardware-empty">{t('hardware.device.none')}</p> : (
          <div class="table-wrap">
            <table class="table hardware-table" id="hardware-devices">
              <thead><tr>
                <th scope="col">{t('hardware.device.inventory')}</th><th scope="col">{t('hardware.type')}</th><th scope="col">{t('hardware.model')}</th>
                <th scope="col">{t('hardware.device.organisation')}</th><th scope="col">{t('hardware.location')}</th><th scope="col">{t('hardware.device.state')}</th><th scope="col">{t('hardware.device.host')}</th>
              </tr></thead>
              <tbody>
                {result.rows.map((row) => (
                  <tr id={`hardware-device-${row.id}`}>
                    <th scope="row"><a href={href(c, `/p/hardware/devices/${row.id}`)}>{row.inventory_number}</a></th>
                    <td data-label={t('hardware.type')}>{typeName({ name_en: row.type_en, name_de: row.type_de }, c.var.locale)}</td>
                    <td data-label={t('hardware.model')}>{modelLabel({ manufacturer: row.manufacturer, name: row.model })}</td>
                    <td data-label={t('hardware.device.organisation')}>{row.organisation}</td><td data-label={t('hardware.location')}>{row.location ?? '—'}</td>
                    <td data-label={t('hardware.device.state')}><span class={`badge hardware-state hardware-state-${row.state}`}>{t(`hardware.state.${row.state}`)}</span></td>
                    <td data-label={t('hardware.device.host')}>{row.host ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pageSize={PAGE_SIZE} total={result.total} link={link} t={t} />
      </Page>
    ),
  });
}

/** A device's page; `fileError`: the upload's refusal (already worded), answered with 422. */
export async function devicePage(c: Context<AppEnv>, device: DeviceRow, fileError?: string) {
  const t = c.var.t;
  const tenant = tenantOf(c);
  const store = deviceStore(c.var.services, tenant.id);
  const asOfParam = c.req.query('asOf') ?? '';
  const asOfError = asOfParam && !isDate(asOfParam) ? t('hardware.device.dateInvalid') : undefined;
  const asOf = asOfParam && !asOfError ? asOfParam : null;
  const [history, tickets, installation, fieldRows, model, files] = await Promise.all([
    store.history(device.id), linkStore(c.var.services, tenant.id).forDevice(device.id), installationStore(c.var.services, tenant.id).forDevice(device.id),
    allRecordFieldDefinitions(pluginScope<HardwareDB>(c.var.services.db, tenant.id), DEVICE_KIND),
    pluginScope<HardwareDB>(c.var.services.db, tenant.id).selectFrom('hardware_models').select('type_id').where('id', '=', device.model_id).executeTakeFirst(),
    deviceFiles(c.var.services, tenant.id).list(device.id),
  ]);
  // Every field (inactive ones too) names its history lines; the page shows the active ones of the device's type and any other with a value.
  const allFields = fieldRows;
  const customValues = parseValues(device.custom_fields);
  const applicable = new Set(fieldsForType([...fieldRows.values()].filter((field) => field.active), model?.type_id ?? null).map((field) => field.key));
  const customShown = [...allFields.values()].filter((field) => applicable.has(field.key) || customValues[field.key] !== undefined);
  const then = asOf ? await store.asOf(device.id, zonedDayEnd(asOf, c.var.dates.timeZone)!) : null;
  const shown: DeviceValues | null = asOf ? then : Object.fromEntries(DEVICE_FIELDS.map((f) => [f, device[f] === null ? null : String(device[f])])) as DeviceValues;
  const label = await deviceLabels(c.var.services, tenant.id, [
    ...DEVICE_FIELDS.map((field) => ({ field, value: shown?.[field] ?? null })),
    ...history.flatMap((row) => [{ field: row.field, value: row.old_value }, { field: row.field, value: row.new_value }]),
  ]);
  const show = (field: string, value: string | null) => (field.startsWith('custom.') ? showHistoryValue(allFields.get(field.slice(7)), value, t) : label(field, value, t, c.var.dates));
  const fieldName = (field: string) => (field.startsWith('custom.') ? allFields.get(field.slice(7))?.label ?? field.slice(7) : t(`hardware.field.${field}`));
  return render(c, {
    title: device.inventory_number,
    status: asOfError || fileError ? 422 : 200,
    page: (
      <Page title={t('hardware.device.title', { number: device.inventory_number })} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: device.inventory_number }]}
        actions={<>
          <a class="button" href={href(c, `/p/hardware/labels?id=${device.id}`)} id="hardware-label-link" target="_blank">{t('hardware.labels.one')}</a>
          {c.var.can(EDIT) ? <a class="button" href={href(c, `/p/hardware/devices/${device.id}/edit`)} id="hardware-edit">{t('hardware.device.editButton')}</a> : null}
        </>}>
        <div class="hardware-columns">
          <section class="card stack" id="hardware-facts">
            <form method="get" action={href(c, `/p/hardware/devices/${device.id}`)} class="hardware-asof" id="hardware-asof">
              <TextField name="asOf" type="date" label={t('hardware.device.asOf')} value={asOfParam} errors={asOfError ? { asOf: asOfError } : undefined} />
              <div class="hardware-actions"><button type="submit" class="button">{t('hardware.device.asOfShow')}</button>{asOf ? <a href={href(c, `/p/hardware/devices/${device.id}`)}>{t('hardware.device.asOfNow')}</a> : null}</div>
            </form>
            {asOf ? <p class="hardware-asof-note" id="hardware-asof-note">{t('hardware.device.asOfNote', { date: show('purchased_on', asOf) })}</p> : null}
            {shown === null ? <p class="muted" id="hardware-not-yet">{t('hardware.device.notYet')}</p> : (
              <dl class="hardware-facts" id="hardware-values">
                {DEVICE_FIELDS.map((field) => <><dt>{t(`hardware.field.${field}`)}</dt><dd id={`hardware-value-${field}`}>{show(field, shown[field])}</dd></>)}
              </dl>
            )}
            {!asOf && customShown.length ? (
              <dl class="hardware-facts" id="hardware-custom-values">
                {customShown.map((field) => <><dt>{field.label}</dt><dd id={`hardware-custom-${field.key}`}>{formatCustomValue(field, customValues[field.key], t)}</dd></>)}
              </dl>
            ) : null}
            {installation ? (
              <p id="hardware-device-installation">{t('hardware.installation.ofDevice')}: <a href={href(c, `/p/hardware/installations/${installation.id}`)}>{installation.name}</a></p>
            ) : null}
          </section>
          <section class="card stack" id="hardware-tickets">
            <h2>{t('hardware.device.tickets')}</h2>
            {tickets.length === 0 ? <p class="muted">{t('hardware.device.noTickets')}</p> : (
              <ul class="hardware-list">
                {tickets.map((row) => (
                  <li id={`hardware-ticket-${row.ticket_id}`}>
                    <a href={href(c, `/desk/tickets/${row.number}`)}>{row.number}</a> {row.subject}{' '}
                    <span class={`badge status-${row.status}`}>{t(`status.${row.status}`)}</span>{' '}
                    <span class="muted">{t(`hardware.reason.${row.reason}`)} · {formatDateTime(row.ticket_date, c.var.dates)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <DeviceFilesCard c={c} deviceId={device.id} files={files} canEdit={c.var.can(EDIT)} error={fileError} />
        <section class="card stack" id="hardware-history">
          <h2>{t('hardware.device.history')}</h2>
          {history.length === 0 ? <p class="muted">{t('hardware.none')}</p> : (
            <div class="table-wrap">
              <table class="table hardware-history-table">
                <thead><tr><th scope="col">{t('hardware.history.when')}</th><th scope="col">{t('hardware.history.who')}</th><th scope="col">{t('hardware.history.field')}</th><th scope="col">{t('hardware.history.change')}</th></tr></thead>
                <tbody>
                  {[...history].reverse().map((row) => (
                    <tr><td><time datetime={row.at}>{formatDateTime(row.at, c.var.dates)}</time></td><td>{row.actor_label}</td><td>{fieldName(row.field)}</td>
                      <td>{show(row.field, row.old_value)} → {show(row.field, row.new_value)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </Page>
    ),
  });
}
