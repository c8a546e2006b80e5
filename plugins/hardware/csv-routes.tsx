import type { Context, Hono } from 'hono';
import {
  FormError, Page, csvDocument, csvResponse, flash, href, pluginScope, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { CsvError, parseCsv, type CsvRecord } from './csv-parse.js';
import { activeDefinitions } from './device-custom.js';
import {
  CSV_COLUMNS, CSV_MAX_ROWS, csvHeader, customColumns, exportRows, guessMapping, importInputs, mappingFromForm, type CsvColumn, type CustomColumn, type Mapping,
} from './device-csv.js';
import type { HardwareDB } from './hardware-db.js';
import { readFilter } from './device-list.js';
import { EDIT, VIEW } from './device-routes.js';
import { deviceStore, type ImportResult } from './device-store.js';

const IMPORT = '/p/hardware/import';
/** The largest file the import reads. */
const MAX_BYTES = 4 * 1024 * 1024;
const PREVIEW_ROWS = 5;

/** A column's label: the device field's (the import also takes it as a header name, in either language). */
const FIELD_KEY: Record<CsvColumn, string> = {
  inventory_number: 'hardware.field.inventory_number', serial_number: 'hardware.field.serial_number', model: 'hardware.field.model_id',
  organisation: 'hardware.field.organisation_id', person: 'hardware.device.person', location: 'hardware.field.location_id', state: 'hardware.field.state',
  purchased_on: 'hardware.field.purchased_on', warranty_until: 'hardware.field.warranty_until', host: 'hardware.field.host', notes: 'hardware.field.notes',
};
/** The device fields a refusal names, as the import's columns. */
const COLUMN_OF: Record<string, CsvColumn> = { model_id: 'model', organisation_id: 'organisation', location_id: 'location' };

/** The tenant's custom device fields as CSV columns (the active ones, in their order). */
const customOf = async (c: Context<AppEnv>) => customColumns(await activeDefinitions(pluginScope<HardwareDB>(c.var.services.db, tenantOf(c).id)));

export function csvRoutes(app: Hono<AppEnv>): void {
  // The device list as CSV, with the list's filters (all pages, by inventory number).
  app.get('/devices.csv', requirePermission(VIEW), async (c) => {
    const { filter, errors } = readFilter(c.req.query());
    if (Object.keys(errors).length) return c.text(c.var.t('error.invalid'), 422);
    const custom = await customOf(c);
    const rows = await exportRows(c.var.services, tenantOf(c).id, filter, custom);
    c.header('Cache-Control', 'no-store');
    return csvResponse(c, 'devices.csv', csvDocument([csvHeader(custom), ...rows]));
  });

  app.get('/import', requirePermission(EDIT), async (c) => importPage(c, { custom: await customOf(c) }));

  // One form, three steps: the upload shows the mapping and a preview; "check" runs a dry run; "import" saves all or nothing.
  app.post('/import', requirePermission(EDIT), async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody();
    const custom = await customOf(c);
    const page = (props: Omit<Parameters<typeof importPage>[1], 'custom'>) => importPage(c, { ...props, custom });
    const form = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    if (file && file.size > MAX_BYTES) return page({ error: t('hardware.import.tooLarge', { size: MAX_BYTES / 1024 / 1024 }) });
    const text = file ? await file.text() : form.csv ?? '';
    let records: CsvRecord[];
    try {
      records = parseCsv(text);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return page({ error: t(`hardware.import.${error.reason}`, { line: error.line }) });
    }
    const [header, ...rows] = records;
    if (!header || rows.length === 0) return page({ error: t('hardware.import.empty') });
    if (rows.length > CSV_MAX_ROWS) return page({ error: t('hardware.import.tooMany', { max: CSV_MAX_ROWS }) });
    const step = file || !form.step ? 'preview' : form.step === 'import' ? 'import' : 'dry';
    const mapping = step === 'preview' ? guessMapping(header.fields, (column) => labelsOf(c, column), custom) : mappingFromForm(form, header.fields.length, custom);
    const view = { text, header: header.fields, rows, mapping };
    if (step === 'preview') return page({ view });
    if (mapping.inventory_number < 0) return page({ view, error: t('hardware.import.mapInventory') });
    const inputs = await importInputs(c.var.services, tenantOf(c).id, rows, mapping, (state) => [c.var.services.catalog.translator('en')(`hardware.state.${state}`), c.var.services.catalog.translator('de')(`hardware.state.${state}`)], custom);
    const result = await deviceStore(c.var.services, tenantOf(c).id).importMany(inputs, { id: staff(c).id, label: staff(c).email }, step === 'dry');
    if (result.saved) {
      flash(c, 'success', t('hardware.import.done', { count: result.count }));
      return redirectTo(c, href(c, '/p/hardware'));
    }
    return page({ view, result, dryRun: step === 'dry' });
  });
}

function labelsOf(c: Context<AppEnv>, column: CsvColumn): string[] {
  const { catalog } = c.var.services;
  return [catalog.translator('en')(FIELD_KEY[column]), catalog.translator('de')(FIELD_KEY[column])];
}

interface ImportView { text: string; header: string[]; rows: CsvRecord[]; mapping: Mapping }

function importPage(c: Context<AppEnv>, props: { custom: readonly CustomColumn[]; view?: ImportView; error?: string; result?: ImportResult; dryRun?: boolean }) {
  const t = c.var.t;
  const { view, result } = props;
  const refused = result && result.refused.length > 0;
  const status = props.error || refused ? 422 : 200;
  const cell = (record: CsvRecord, column: string) => (view && (view.mapping[column] ?? -1) >= 0 ? record.fields[view.mapping[column]!] ?? '' : '');
  // Every column of the mapping: the fixed ones, then one per custom field (labelled by the field).
  const columns: Array<{ id: string; label: string }> = [
    ...CSV_COLUMNS.map((column) => ({ id: column, label: t(FIELD_KEY[column]) })), ...props.custom.map((column) => ({ id: column.id, label: column.field.label })),
  ];
  const customLabel = new Map(props.custom.map((column) => [`custom_fields.${column.field.key}`, column.field.label]));
  const reason = (field: string, key: string) => `${customLabel.get(field) ?? t(FIELD_KEY[(COLUMN_OF[field] ?? field) as CsvColumn] ?? field)}: ${t(key, { max: customLabel.has(field) ? 500 : 4000 })}`;
  return render(c, {
    title: t('hardware.import.title'),
    status,
    page: (
      <Page title={t('hardware.import.title')} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: t('hardware.import.title') }]}>
        <FormError message={props.error} />
        <form method="post" action={href(c, IMPORT)} enctype="multipart/form-data" class="card stack" id="hardware-import-upload">
          <p class="muted">{t('hardware.import.lead', { columns: csvHeader(props.custom).join(', '), max: CSV_MAX_ROWS })}</p>
          <div class="field">
            <label for="f-file">{t('hardware.import.file')}</label>
            <input type="file" id="f-file" name="file" accept=".csv,text/csv" required />
          </div>
          <div class="hardware-actions"><button type="submit" class="button" id="hardware-import-read">{t('hardware.import.read')}</button></div>
        </form>
        {view ? (
          <form method="post" action={href(c, IMPORT)} class="card stack" id="hardware-import-form">
            <h2>{t('hardware.import.mapping')}</h2>
            <textarea name="csv" hidden>{view.text}</textarea>
            <div class="hardware-grid">
              {columns.map((column) => (
                <div class="field">
                  <label for={`f-map-${column.id}`}>{column.label}</label>
                  <select id={`f-map-${column.id}`} name={`map.${column.id}`}>
                    <option value="-1">{t('hardware.import.notInFile')}</option>
                    {view.header.map((name, index) => <option value={String(index)} selected={view.mapping[column.id] === index}>{name}</option>)}
                  </select>
                </div>
              ))}
            </div>
            <h2>{t('hardware.import.preview', { count: Math.min(PREVIEW_ROWS, view.rows.length), total: view.rows.length })}</h2>
            <div class="table-wrap">
              <table class="table" id="hardware-import-preview">
                <thead><tr><th scope="col">{t('hardware.import.line')}</th>{columns.map((column) => <th scope="col">{column.label}</th>)}</tr></thead>
                <tbody>
                  {view.rows.slice(0, PREVIEW_ROWS).map((record) => <tr><th scope="row">{record.line}</th>{columns.map((column) => <td>{cell(record, column.id)}</td>)}</tr>)}
                </tbody>
              </table>
            </div>
            {result ? (
              refused ? (
                <section class="stack" id="hardware-import-refused">
                  <h2>{t('hardware.import.refused', { count: result.refused.length })}</h2>
                  <p>{t(props.dryRun ? 'hardware.import.dryNothing' : 'hardware.import.nothingSaved')}</p>
                  <ul class="hardware-list">
                    {result.refused.map((row) => (
                      <li id={`hardware-import-line-${row.line}`}>
                        <strong>{t('hardware.import.lineN', { line: row.line })}</strong>{' '}
                        {Object.entries(row.fields).map(([field, key]) => reason(field, key)).join('; ')}
                      </li>
                    ))}
                  </ul>
                </section>
              ) : <p id="hardware-import-ok">{t('hardware.import.allFine', { count: result.count })}</p>
            ) : null}
            <div class="hardware-actions">
              <button type="submit" name="step" value="dry" class="button" id="hardware-import-dry">{t('hardware.import.dry')}</button>
              <button type="submit" name="step" value="import" class="button-primary" id="hardware-import-save">{t('hardware.import.save')}</button>
            </div>
          </form>
        ) : null}
      </Page>
    ),
  });
}
