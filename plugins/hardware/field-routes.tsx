import type { Context, Hono } from 'hono';
import {
  Checkbox, DomainError, FormError, Page, SelectField, TextArea, TextField, flash, href, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { MANAGE } from './catalogue-routes.js';
import { catalogueStore, typeName } from './catalogue-store.js';
import type { FieldRow } from './device-custom.js';
import { FIELD_TYPES, LABEL_MAX, OPTION_MAX, fieldStore, type FieldInput } from './field-store.js';

const FIELDS = '/p/hardware/fields';
type Values = Record<string, string | string[]>;

const actorOf = (c: Context<AppEnv>) => ({ id: staff(c).id, label: staff(c).email });
const text = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');

async function formOf(c: Context<AppEnv>): Promise<Values> {
  const body = await c.req.parseBody({ all: true });
  return Object.fromEntries(Object.entries(body).flatMap(([name, value]) => {
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    return list.length ? [[name, name === 'type_ids' ? list : list.at(-1)!]] : [];
  }));
}

const inputOf = (values: Values): FieldInput => ({
  key: text(values, 'key'), label: text(values, 'label'), type: text(values, 'type'), options: text(values, 'options'),
  required: Boolean(text(values, 'required')), active: Boolean(text(values, 'active')), position: text(values, 'position'),
  type_ids: Array.isArray(values.type_ids) ? values.type_ids : [],
});

const valuesOfRow = (row: FieldRow): Values => ({
  key: row.key, label: row.label, type: row.type, options: (JSON.parse(row.options) as string[]).join('\n'), required: row.required ? '1' : '',
  active: row.active ? '1' : '', position: String(row.position), type_ids: (JSON.parse(row.type_ids) as number[]).map(String),
});

/** Administration → Hardware fields: the custom fields of devices (admins). */
export function fieldRoutes(app: Hono<AppEnv>): void {
  app.get('/fields', requirePermission(MANAGE), (c) => fieldsPage(c, null, { active: '1' }));
  app.post('/fields', requirePermission(MANAGE), async (c) => {
    const values = await formOf(c);
    try {
      await fieldStore(c.var.services, tenantOf(c).id).add(inputOf(values), actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return fieldsPage(c, null, values, error.fields);
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, FIELDS));
  });
  app.get('/fields/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    const row = await fieldStore(c.var.services, tenantOf(c).id).get(Number(c.req.param('id')));
    return fieldsPage(c, row, valuesOfRow(row));
  });
  app.post('/fields/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    const store = fieldStore(c.var.services, tenantOf(c).id);
    const row = await store.get(Number(c.req.param('id')));
    const values = await formOf(c);
    try {
      await store.update(row.id, inputOf(values), actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return fieldsPage(c, row, { ...values, key: row.key, type: row.type }, error.fields);
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, FIELDS));
  });
}

/** The list of fields and one form: a new field (`editing` null) or the chosen one. */
async function fieldsPage(c: Context<AppEnv>, editing: FieldRow | null, values: Values, fields?: Readonly<Record<string, string>>) {
  const t = c.var.t;
  const [rows, types] = await Promise.all([fieldStore(c.var.services, tenantOf(c).id).list(), catalogueStore(c.var.services, tenantOf(c).id).types()]);
  const errors = fields ? Object.fromEntries(Object.entries(fields).map(([name, key]) => [name, t(key, { max: name === 'options' ? OPTION_MAX : LABEL_MAX })])) : undefined;
  const typeLabel = (ids: string) => (JSON.parse(ids) as number[]).map((id) => {
    const type = types.find((row) => row.id === id);
    return type ? typeName(type, c.var.locale) : `#${id}`;
  }).join(', ') || t('hardware.fields.allTypes');
  const chosen = new Set(Array.isArray(values.type_ids) ? values.type_ids : []);
  const title = t('hardware.fields.title');
  return render(c, {
    title,
    status: fields ? 422 : 200,
    page: (
      <Page title={title} crumbs={[{ label: t('hardware.catalogue'), href: href(c, '/p/hardware/admin') }, { label: title }]}>
        <p class="muted">{t('hardware.fields.text')}</p>
        {rows.length === 0 ? <p class="muted" id="hardware-fields-empty">{t('hardware.none')}</p> : (
          <div class="table-wrap">
            <table class="table hardware-table" id="hardware-fields">
              <thead><tr>
                <th scope="col">{t('hardware.fields.label')}</th><th scope="col">{t('hardware.fields.key')}</th><th scope="col">{t('hardware.fields.type')}</th>
                <th scope="col">{t('hardware.fields.types')}</th><th scope="col">{t('hardware.fields.state')}</th>
              </tr></thead>
              <tbody>
                {rows.map((row) => (
                  <tr id={`hardware-field-${row.key}`}>
                    <th scope="row"><a href={href(c, `${FIELDS}/${row.id}`)}>{row.label}</a>{row.required ? ' *' : ''}</th>
                    <td data-label={t('hardware.fields.key')}><code>{row.key}</code></td>
                    <td data-label={t('hardware.fields.type')}>{t(`hardware.fields.type.${row.type}`)}</td>
                    <td data-label={t('hardware.fields.types')}>{typeLabel(row.type_ids)}</td>
                    <td data-label={t('hardware.fields.state')}>{row.active ? t('hardware.fields.active') : t('hardware.fields.inactive')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form method="post" action={href(c, editing ? `${FIELDS}/${editing.id}` : FIELDS)} class="card stack" id="hardware-field-form">
          <h2>{editing ? t('hardware.fields.edit', { label: editing.label }) : t('hardware.fields.add')}</h2>
          <FormError message={fields ? t('error.invalid') : undefined} />
          {editing ? <p><code>{editing.key}</code> · {t(`hardware.fields.type.${editing.type}`)}</p> : (
            <>
              <TextField name="key" label={t('hardware.fields.key')} value={text(values, 'key')} errors={errors} maxlength={40} />
              <SelectField name="type" label={t('hardware.fields.type')} value={text(values, 'type') || 'text'} errors={errors}
                options={FIELD_TYPES.map((type) => ({ value: type, label: t(`hardware.fields.type.${type}`) }))} />
            </>
          )}
          <TextField name="label" label={t('hardware.fields.label')} value={text(values, 'label')} errors={errors} maxlength={LABEL_MAX} />
          <TextArea name="options" label={t('hardware.fields.options')} value={text(values, 'options')} errors={errors} rows={3} />
          <TextField name="position" type="number" label={t('hardware.fields.position')} value={text(values, 'position')} errors={errors} />
          <fieldset class="stack" id="hardware-field-types">
            <legend>{t('hardware.fields.types')}</legend>
            {errors?.type_ids ? <p class="field-error" role="alert">{errors.type_ids}</p> : null}
            {types.map((type) => (
              <div class="field field-check">
                <input type="checkbox" id={`f-type_ids-${type.id}`} name="type_ids" value={String(type.id)} checked={chosen.has(String(type.id))} />
                <label for={`f-type_ids-${type.id}`}>{typeName(type, c.var.locale)}</label>
              </div>
            ))}
          </fieldset>
          <Checkbox name="required" label={t('hardware.fields.required')} checked={Boolean(text(values, 'required'))} />
          <Checkbox name="active" label={t('hardware.fields.active')} checked={Boolean(text(values, 'active'))} />
          <div class="hardware-actions">
            <button type="submit" class="button-primary" id="hardware-field-save">{t('common.save')}</button>
            {editing ? <a href={href(c, FIELDS)}>{t('common.cancel')}</a> : null}
          </div>
        </form>
      </Page>
    ),
  });
}
