import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { TicketField } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { FormError } from '../../../views/components/form.js';
import { auditTicketConfig as audit, FIELD_TYPES, fieldById, listCategories } from './ticket-config-data.js';
import { FieldFormFields, categoryScopes, ticketConfigPage } from './ticket-settings.js';

const list = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean));

const fieldBase = {
  label: z.string().trim().min(1).max(120),
  type: z.enum(FIELD_TYPES),
  options: z.string().max(5000).optional().transform((v) => [...new Set((v ?? '').split(/\r?\n/).map((o) => o.trim()).filter(Boolean))]),
  required: z.enum(['', '1']).optional(),
  active: z.enum(['', '1']).optional(),
  categories: list,
  position: z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? 0 : Number(v))).pipe(z.number().int().min(0).max(9999)),
};
const withOptions = <T extends { type: string; options: string[] }>(v: T) => v.type !== 'select' || v.options.length > 0;
const optionsRule = { path: ['options'], message: 'ticketAdmin.optionsRequired' };

export const newFieldSchema = z.object({ key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'ticketAdmin.keyFormat'), ...fieldBase }).refine(withOptions, optionsRule);
export const fieldSchema = z.object(fieldBase).refine(withOptions, optionsRule);
type FieldForm = z.infer<typeof fieldSchema>;

/** Categories must exist; options only mean something for a select. */
async function fieldRow(c: Context<AppEnv>, data: FieldForm): Promise<{ row: Omit<TicketField, 'id' | 'tenant_id' | 'key' | 'record_kind'>; errors?: Record<string, string> }> {
  const known = new Set((await listCategories(c)).map((cat) => cat.name));
  const unknown = data.categories.filter((name) => !known.has(name));
  const row = {
    label: data.label, type: data.type, options: JSON.stringify(data.type === 'select' ? data.options : []), required: data.required ? 1 : 0,
    categories: JSON.stringify(data.categories.filter((name) => known.has(name))), position: data.position, active: data.active ? 1 : 0,
  };
  return unknown.length ? { row, errors: { categories: c.var.t('validation.choice') } } : { row };
}

async function fieldPage(c: Context<AppEnv>, field: TicketField, state: { errors?: Record<string, string>; values?: Record<string, string>; checked?: string[] } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const categories = await listCategories(c);
  const values = state.values ?? {
    label: field.label, type: field.type, options: (JSON.parse(field.options) as string[]).join('\n'), position: String(field.position),
    ...(field.required ? { required: '1' } : {}), ...(field.active ? { active: '1' } : {}),
  };
  return render(c, {
    title: field.label,
    status,
    page: (
      <Page title={field.label} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('ticketAdmin.title'), href: href(c, '/admin/tickets#fields') }, { label: field.label }]}>
        <section class="card">
          <p class="muted">{t('ticketAdmin.key')}: <code>{field.key}</code> · {t('ticketAdmin.keyFixed')}</p>
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, `/admin/tickets/fields/${field.id}`)} class="stack">
            <FieldFormFields t={t} values={values} errors={state.errors} scopes={categoryScopes(categories, t)} checked={state.checked ?? (JSON.parse(field.categories) as string[])} withActive />
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

const checkedOf = (values: Record<string, string>, body: unknown) => list.parse((body as Record<string, unknown>).categories ?? values.categories);

export function ticketFieldRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.tickets')] as const;

  app.post('/admin/tickets/fields', ...guard, async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const form = await parseForm(c, newFieldSchema);
    const checked = checkedOf(form.values, body);
    if (!form.ok) return ticketConfigPage(c, { section: 'field', errors: form.errors, values: form.values, checked }, 422);
    const { row, errors } = await fieldRow(c, { ...form.data, active: '1' });
    const tenantScope = scope(c);
    const taken = await tenantScope.selectFrom('ticket_fields').select('id').where('record_kind', '=', 'ticket').where('key', '=', form.data.key).executeTakeFirst();
    const problems = { ...errors, ...(taken ? { key: t('ticketAdmin.keyTaken') } : {}) };
    if (Object.keys(problems).length) return ticketConfigPage(c, { section: 'field', errors: problems, values: form.values, checked }, 422);
    await tenantScope.insertInto('ticket_fields', { key: form.data.key, ...row }).execute();
    await audit(c, 'admin.ticket_field_created', form.data.key, { type: row.type });
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, '/admin/tickets#fields'));
  });

  app.get('/admin/tickets/fields/:id', ...guard, async (c) => fieldPage(c, await fieldById(c)));

  app.post('/admin/tickets/fields/:id', ...guard, async (c) => {
    const field = await fieldById(c);
    const body = await c.req.parseBody({ all: true });
    const form = await parseForm(c, fieldSchema);
    const checked = checkedOf(form.values, body);
    if (!form.ok) return fieldPage(c, field, { errors: form.errors, values: form.values, checked }, 422);
    const { row, errors } = await fieldRow(c, form.data);
    if (errors) return fieldPage(c, field, { errors, values: form.values, checked }, 422);
    await scope(c).updateTable('ticket_fields').set(row).where('id', '=', field.id).execute();
    await audit(c, 'admin.ticket_field_updated', field.key, { type: row.type, active: row.active });
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/admin/tickets#fields'));
  });
}
