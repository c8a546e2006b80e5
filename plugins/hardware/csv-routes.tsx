import type { Context, Hono } from 'hono';
import {
  FormError, Page, flash, href, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { csvDocument } from './csv.js';
import { CsvError, parseCsv, type CsvRecord } from './csv-parse.js';
import { CSV_COLUMNS, CSV_MAX_ROWS, exportRows, guessMapping, importInputs, mappingFromForm, type CsvColumn, type Mapping } from './device-csv.js';
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

export function csvRoutes(app: Hono<AppEnv>): void {
  // The device list as CSV, with the list's filters (all pages, by inventory number).
  app.get('/devices.csv', requirePermission(VIEW), async (c) => {
    const { filter, errors } = readFilter(c.req.query());
    if (Object.keys(errors).length) return c.text(c.var.t('error.invalid'), 422);
    const rows = await exportRows(c.var.services, tenantOf(c).id, filter);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="devices.csv"');
    c.header('Cache-Control', 'no-store');
    return c.body(csvDocument(CSV_COLUMNS, rows));
  });

  app.get('/import', requirePermission(EDIT), (c) => importPage(c, {}));

  // One form, three steps: the upload shows the mapping and a preview; "check" runs a dry run; "import" saves all or nothing.
  app.post('/import', requirePermission(EDIT), async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody();
    const form = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    if (file && file.size > MAX_BYTES) return importPage(c, { error: t('hardware.import.tooLarge', { size: MAX_BYTES / 1024 / 1024 }) });
    const text = file ? await file.text() : form.csv ?? '';
    let records: CsvRecord[];
    try {
      records = parseCsv(text);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return importPage(c, { error: t(`hardware.import.${error.reason}`, { line: error.line }) });
    }
    const [header, ...rows] = records;
    if (!header || rows.length === 0) return importPage(c, { error: t('hardware.import.empty') });
    if (rows.length > CSV_MAX_ROWS) return importPage(c, { error: t('hardware.import.tooMany', { max: CSV_MAX_ROWS }) });
    const step = file || !form.step ? 'preview' : form.step === 'import' ? 'import' : 'dry';
    const mapping = step === 'preview' ? guessMapping(header.fields, (column) => labelsOf(c, column)) : mappingFromForm(form, header.fields.length);
    const view = { text, header: header.fields, rows, mapping };
    if (step === 'preview') return importPage(c, { view });
    if (mapping.inventory_number < 0) return importPage(c, { view, error: t('hardware.import.mapInventory') });
    const inputs = await importInputs(c.var.services, tenantOf(c).id, rows, mapping, (state) => [c.var.services.catalog.translator('en')(`hardware.state.${state}`), c.var.services.catalog.translator('de')(`hardware.state.${state}`)]);
    const result = await deviceStore(c.var.services, tenantOf(c).id).importMany(inputs, { id: staff(c).id, label: staff(c).email }, step === 'dry');
    if (result.saved) {
      flash(c, 'success', t('hardware.import.done', { count: result.count }));
      return redirectTo(c, href(c, '/p/hardware'));
    }
    return importPage(c, { view, result, dryRun: step === 'dry' });
  });
}

function labelsOf(c: Context<AppEnv>, column: CsvColumn): string[] {
  const { catalog } = c.var.services;
  return [catalog.translator('en')(FIELD_KEY[column]), catalog.translator('de')(FIELD_KEY[column])];
}

interface ImportView { text: string; header: string[]; rows: CsvRecord[]; mapping: Mapping }

function importPage(c: Context<AppEnv>, props: { view?: ImportView; error?: string; result?: ImportResult; dryRun?: boolean }) {
  const t = c.var.t;
  const { view, result } = props;
  const refused = result && result.refused.length > 0;
  const status = props.error || refused ? 422 : 200;
  const cell = (record: CsvRecord, column: CsvColumn) => (view && view.mapping[column] >= 0 ? record.fields[view.mapping[column]] ?? '' : '');
  return render(c, {
    title: t('hardware.import.title'),
    status,
    page: (
      <Page title={t('hardware.import.title')} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: t('hardware.import.title') }]}>
        <FormError message={props.error} />
        <form method="post" action={href(c, IMPORT)} enctype="multipart/form-data" class="card stack" id="hardware-import-upload">
          <p class="muted">{t('hardware.import.lead', { columns: CSV_COLUMNS.join(', '), max: CSV_MAX_ROWS })}</p>
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
              {CSV_COLUMNS.map((column) => (
                <div class="field">
                  <label for={`f-map-${column}`}>{t(FIELD_KEY[column])}</label>
                  <select id={`f-map-${column}`} name={`map.${column}`}>
                    <option value="-1">{t('hardware.import.notInFile')}</option>
                    {view.header.map((name, index) => <option value={String(index)} selected={view.mapping[column] === index}>{name}</option>)}
                  </select>
                </div>
              ))}
            </div>
            <h2>{t('hardware.import.preview', { count: Math.min(PREVIEW_ROWS, view.rows.length), total: view.rows.length })}</h2>
            <div class="table-wrap">
              <table class="table" id="hardware-import-preview">
                <thead><tr><th scope="col">{t('hardware.import.line')}</th>{CSV_COLUMNS.map((column) => <th scope="col">{t(FIELD_KEY[column])}</th>)}</tr></thead>
                <tbody>
                  {view.rows.slice(0, PREVIEW_ROWS).map((record) => <tr><th scope="row">{record.line}</th>{CSV_COLUMNS.map((column) => <td>{cell(record, column)}</td>)}</tr>)}
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
                        {Object.entries(row.fields).map(([field, key]) => `${t(FIELD_KEY[(COLUMN_OF[field] ?? field) as CsvColumn] ?? field)}: ${t(key, { max: 4000 })}`).join('; ')}
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
