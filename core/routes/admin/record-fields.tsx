import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { TicketField } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { listRecordFields, type RecordField } from '../../records/record-fields.js';
import { recordKindsOf, type OwnedRecordKind } from '../../records/record-kind-list.js';
import { TICKET_KIND, type RecordScope } from '../../records/record-kinds.js';
import { Page } from '../../../views/components/page.js';
import { FormError, TextField } from '../../../views/components/form.js';
import { auditTicketConfig as audit } from './ticket-config-data.js';
import { fieldSchema, newFieldSchema } from './ticket-fields.js';
import { FieldFormFields } from './ticket-settings.js';

const PAGE = '/admin/fields';
const list = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean));
type FieldForm = z.infer<typeof fieldSchema>;
type FormState = { errors?: Record<string, string>; values?: Record<string, string>; checked?: string[] };

/** The kinds whose fields this user may define (the tenant's plugins that are on, each with its permission). */
function manageableKinds(c: Context<AppEnv>): OwnedRecordKind[] {
  return recordKindsOf(c.var.services.registry.plugins, c.var.enabledPlugins).filter((kind) => c.var.can(kind.permission));
}

/** A kind the tenant has (else 404) and the user may manage (else 403). */
function kindNamed(c: Context<AppEnv>, name: string | undefined): OwnedRecordKind {
  const kind = recordKindsOf(c.var.services.registry.plugins, c.var.enabledPlugins).find((k) => k.kind === name);
  if (!kind) throw new HttpError(404, c.var.t('error.notFound'));
  if (!c.var.can(kind.permission)) throw new HttpError(403, c.var.t('error.forbidden'));
  return kind;
}

const scopesOf = (c: Context<AppEnv>, kind: OwnedRecordKind) => kind.scopes({ scope: scope(c), locale: c.var.locale, t: c.var.t });

/** A field of this tenant by the path's id, of a kind the user may manage; anything else is 404. */
async function fieldOf(c: Context<AppEnv>): Promise<{ field: TicketField; kind: OwnedRecordKind }> {
  const id = Number(c.req.param('id'));
  const field = Number.isInteger(id) && id > 0 ? await scope(c).selectFrom('ticket_fields').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!field) throw new HttpError(404, c.var.t('error.notFound'));
  return { field, kind: kindNamed(c, field.record_kind) };
}

/** The row to store: limits must be the kind's choices; options only mean something for a select. */
async function rowOf(c: Context<AppEnv>, kind: OwnedRecordKind, data: FieldForm) {
  const known = new Set((await scopesOf(c, kind)).map((choice) => choice.value));
  const row = {
    label: data.label, type: data.type, options: JSON.stringify(data.type === 'select' ? data.options : []), required: data.required ? 1 : 0,
    categories: JSON.stringify(data.categories.filter((value) => known.has(value))), position: data.position, active: data.active ? 1 : 0,
  };
  return data.categories.some((value) => !known.has(value)) ? { row, errors: { categories: c.var.t('validation.choice') } } : { row };
}

const auditAction = (kind: string, change: 'created' | 'updated') => (kind === TICKET_KIND ? `admin.ticket_field_${change}` : `admin.record_field_${change}`);
const checkedOf = (values: Record<string, string>, body: unknown) => list.parse((body as Record<string, unknown>).categories ?? values.categories);

/**
 * Administration → Custom fields: the definitions of every record kind the tenant has (tickets, and the kinds of
 * its plugins that are on, e.g. devices), one table per kind, with the same form for each (core/records).
 */
export function recordFieldRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser] as const;

  app.get(PAGE, ...guard, async (c) => {
    const t = c.var.t;
    const kinds = manageableKinds(c);
    if (kinds.length === 0) throw new HttpError(403, t('error.forbidden'));
    const sections = await Promise.all(kinds.map(async (kind) => ({ kind, fields: await listRecordFields(scope(c), kind.kind), scopes: await scopesOf(c, kind) })));
    return render(c, {
      title: t('recordFields.title'),
      page: (
        <Page title={t('recordFields.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('recordFields.title') }]}>
          <p class="muted">{t('recordFields.lead')}</p>
          {sections.map(({ kind, fields, scopes }) => <KindSection c={c} kind={kind} fields={fields} scopes={scopes} />)}
        </Page>
      ),
    });
  });

  app.get(`${PAGE}/new`, ...guard, async (c) => fieldPage(c, kindNamed(c, c.req.query('kind')), null, { values: { active: '1' } }));

  app.post(PAGE, ...guard, async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const kind = kindNamed(c, typeof body.kind === 'string' ? body.kind : undefined);
    const form = await parseForm(c, newFieldSchema);
    const checked = checkedOf(form.values, body);
    if (!form.ok) return fieldPage(c, kind, null, { errors: form.errors, values: form.values, checked }, 422);
    const { row, errors } = await rowOf(c, kind, { ...form.data, active: '1' });
    const taken = await scope(c).selectFrom('ticket_fields').select('id').where('record_kind', '=', kind.kind).where('key', '=', form.data.key).executeTakeFirst();
    const problems = { ...errors, ...(taken ? { key: t('ticketAdmin.keyTaken') } : {}) };
    if (Object.keys(problems).length) return fieldPage(c, kind, null, { errors: problems, values: form.values, checked }, 422);
    await scope(c).insertInto('ticket_fields', { record_kind: kind.kind, key: form.data.key, ...row }).execute();
    await audit(c, auditAction(kind.kind, 'created'), `${kind.kind}:${form.data.key}`, { type: row.type });
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, `${PAGE}#kind-${kind.kind}`));
  });

  app.get(`${PAGE}/:id{[0-9]+}`, ...guard, async (c) => {
    const { field, kind } = await fieldOf(c);
    return fieldPage(c, kind, field);
  });

  app.post(`${PAGE}/:id{[0-9]+}`, ...guard, async (c) => {
    const { field, kind } = await fieldOf(c);
    const body = await c.req.parseBody({ all: true });
    const form = await parseForm(c, fieldSchema);
    const checked = checkedOf(form.values, body);
    if (!form.ok) return fieldPage(c, kind, field, { errors: form.errors, values: form.values, checked }, 422);
    // The type stays: the records' stored values depend on it.
    const { row, errors } = await rowOf(c, kind, { ...form.data, type: field.type });
    if (errors) return fieldPage(c, kind, field, { errors, values: form.values, checked }, 422);
    await scope(c).updateTable('ticket_fields').set(row).where('id', '=', field.id).execute();
    await audit(c, auditAction(kind.kind, 'updated'), `${kind.kind}:${field.key}`, { type: row.type, active: row.active });
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, `${PAGE}#kind-${kind.kind}`));
  });
}

function KindSection(props: { c: Context<AppEnv>; kind: OwnedRecordKind; fields: RecordField[]; scopes: RecordScope[] }) {
  const { c, kind, fields, scopes } = props;
  const t = c.var.t;
  const labelOf = new Map(scopes.map((choice) => [choice.value, choice.label]));
  return (
    <section class="card" id={`kind-${kind.kind}`} aria-labelledby={`kind-${kind.kind}-title`}>
      <h2 id={`kind-${kind.kind}-title`}>{t(kind.label)}</h2>
      {fields.length === 0 ? <p class="muted">{t('ticketAdmin.noFields')}</p> : (
        <div class="table-wrap">
          <table class="table record-fields">
            <thead><tr>
              <th scope="col">{t('ticketAdmin.label')}</th><th scope="col">{t('ticketAdmin.key')}</th><th scope="col">{t('ticketAdmin.type')}</th>
              <th scope="col">{t(kind.scopeLabel)}</th><th scope="col">{t('ticketAdmin.required')}</th><th scope="col">{t('ticketAdmin.active')}</th>
            </tr></thead>
            <tbody>
              {fields.map((field) => {
                const limited = JSON.parse(field.categories) as string[];
                return (
                  <tr id={`field-${kind.kind}-${field.key}`}>
                    <th scope="row"><a href={href(c, `${PAGE}/${field.id}`)}>{field.label}</a></th>
                    <td data-label={t('ticketAdmin.key')}><code>{field.key}</code></td>
                    <td data-label={t('ticketAdmin.type')}>{t(`ticketAdmin.type.${field.type}`)}</td>
                    <td data-label={t(kind.scopeLabel)}>{limited.length ? limited.map((value) => labelOf.get(value) ?? value).join(', ') : <span class="muted">{t('ticketAdmin.allCategories')}</span>}</td>
                    <td data-label={t('ticketAdmin.required')}>{field.required ? t('common.yes') : t('common.no')}</td>
                    <td data-label={t('ticketAdmin.active')}>{field.active ? <span class="badge badge-on">{t('common.yes')}</span> : <span class="badge badge-off">{t('ticketAdmin.inactive')}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p><a class="button" id={`add-field-${kind.kind}`} href={href(c, `${PAGE}/new?kind=${encodeURIComponent(kind.kind)}`)}>{t('recordFields.add')}</a></p>
    </section>
  );
}

/** The form of one field: a new one of `kind` (`field` null) or an existing one (its key and type fixed). */
async function fieldPage(c: Context<AppEnv>, kind: OwnedRecordKind, field: TicketField | null, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const scopes = await scopesOf(c, kind);
  const values = state.values ?? (field ? {
    label: field.label, type: field.type, options: (JSON.parse(field.options) as string[]).join('\n'), position: String(field.position),
    ...(field.required ? { required: '1' } : {}), ...(field.active ? { active: '1' } : {}),
  } : {});
  const title = field ? field.label : t('recordFields.new', { kind: t(kind.label) });
  return render(c, {
    title,
    status,
    page: (
      <Page title={title} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('recordFields.title'), href: href(c, `${PAGE}#kind-${kind.kind}`) }, { label: title }]}>
        <section class="card">
          <p class="muted">{t('recordFields.kind')}: {t(kind.label)}{field ? <> · {t('ticketAdmin.key')}: <code>{field.key}</code> · {t(`ticketAdmin.type.${field.type}`)} · {t('recordFields.fixed')}</> : null}</p>
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, field ? `${PAGE}/${field.id}` : PAGE)} class="stack" id="record-field-form">
            {field ? null : (
              <>
                <input type="hidden" name="kind" value={kind.kind} />
                <TextField name="key" label={t('ticketAdmin.key')} value={values.key} required maxlength={40} errors={state.errors} hint={t('ticketAdmin.keyHint')} />
              </>
            )}
            <FieldFormFields t={t} values={values} errors={state.errors} scopes={scopes} checked={state.checked ?? (field ? (JSON.parse(field.categories) as string[]) : [])}
              withActive={Boolean(field)} scopeLegend={t(kind.scopeLabel)} {...(kind.scopeHint ? { scopeHint: t(kind.scopeHint) } : {})} fixedType={Boolean(field)} />
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}
