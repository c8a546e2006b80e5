import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import type { Translate } from '../../i18n/translate.js';
import type { RecordScope } from '../../records/record-kinds.js';
import { saveTicketSettings } from '../../tickets/ticket-settings-store.js';
import { PRIORITIES, ticketSettings } from '../../tickets/ticket-settings.js';
import { Checkbox, FormError, SelectField, TextArea, TextField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { auditTicketConfig as audit, FIELD_TYPES, listCategories, listFields } from './ticket-config-data.js';

const priorityName = z.string().trim().max(40).optional().default('');
const settingsSchema = z.object({
  close_requires_supervisor: z.literal('1').optional(),
  notify_requester: z.literal('1').optional(),
  time_spent: z.enum(['off', 'optional', 'required']).optional(),
  priority_1: priorityName, priority_2: priorityName, priority_3: priorityName, priority_4: priorityName,
});

export interface ConfigState {
  section?: 'settings' | 'category' | 'field';
  /** The category row whose form failed (undefined: the "add" form). */
  categoryId?: number;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  checked?: string[];
}

export type CategoryRow = Awaited<ReturnType<typeof listCategories>>[number];

/** Label, type, options, flags, categories and position of a custom field (the key is asked only when creating). */
/** A ticket category as a limit choice of a field (inactive ones marked). */
export const categoryScopes = (categories: readonly CategoryRow[], t: Translate): RecordScope[] =>
  categories.map((cat) => ({ value: cat.name, label: `${cat.name}${cat.active ? '' : ` (${t('ticketAdmin.inactive')})`}` }));

/**
 * The inputs of a custom field definition of any record kind: label, type, position, choices, what it is limited
 * to (`scopes`: a ticket's categories, a plugin kind's own), required and active.
 */
export function FieldFormFields(props: {
  t: Translate; values: Record<string, string>; errors?: Record<string, string> | undefined; scopes: readonly RecordScope[]; checked: string[]; withActive?: boolean;
  scopeLegend?: string; scopeHint?: string;
  /** The type cannot change (a plugin record's stored values depend on it): sent hidden, not offered. */
  fixedType?: boolean;
}) {
  const { t, values, errors } = props;
  return (
    <>
      <div class="form-row">
        <TextField name="label" label={t('ticketAdmin.label')} value={values.label} required maxlength={120} errors={errors} />
        {props.fixedType ? <input type="hidden" name="type" value={values.type ?? 'text'} /> : (
          <SelectField name="type" label={t('ticketAdmin.type')} value={values.type ?? 'text'} errors={errors}
            options={FIELD_TYPES.map((type) => ({ value: type, label: t(`ticketAdmin.type.${type}`) }))} />
        )}
        <TextField name="position" type="number" label={t('ticketAdmin.position')} value={values.position ?? '0'} errors={errors} />
      </div>
      <TextArea name="options" label={t('ticketAdmin.options')} value={values.options} rows={3} errors={errors} hint={t('ticketAdmin.optionsHint')} />
      <fieldset class={errors?.categories ? 'field-invalid' : undefined}>
        <legend>{props.scopeLegend ?? t('ticketAdmin.limitTo')}</legend>
        <p class="hint">{props.scopeHint ?? t('ticketAdmin.limitHint')}</p>
        <div class="check-grid">
          {props.scopes.map((choice, index) => (
            <div class="field field-check">
              <input type="checkbox" id={`fc-${index}`} name="categories" value={choice.value} checked={props.checked.includes(choice.value)} />
              <label for={`fc-${index}`}>{choice.label}</label>
            </div>
          ))}
        </div>
        {errors?.categories ? <small class="field-error">{errors.categories}</small> : null}
      </fieldset>
      <Checkbox name="required" label={t('ticketAdmin.required')} checked={values.required === '1'} />
      {props.withActive ? <Checkbox name="active" label={t('ticketAdmin.active')} checked={values.active === '1'} /> : null}
    </>
  );
}

/** /admin/tickets: ticket rules, categories and custom fields on one page, each with its own form. */
export async function ticketConfigPage(c: Context<AppEnv>, state: ConfigState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const settings = ticketSettings(tenantOf(c));
  const [categories, fields] = await Promise.all([listCategories(c), listFields(c)]);
  const errorsFor = (section: ConfigState['section'], categoryId?: number) => (state.section === section && state.categoryId === categoryId ? state.errors : undefined);
  const valuesFor = (section: ConfigState['section'], categoryId?: number) => (state.section === section && state.categoryId === categoryId ? state.values : undefined);
  const settingsValues = valuesFor('settings') ?? {
    ...(settings.closeRequiresSupervisor ? { close_requires_supervisor: '1' } : {}),
    ...(settings.notifyRequester ? { notify_requester: '1' } : {}),
    time_spent: settings.timeSpent,
    ...Object.fromEntries(PRIORITIES.map((p) => [`priority_${p}`, settings.priorityNames[p - 1] ?? ''])),
  };
  const newCategory = valuesFor('category');
  const newField = valuesFor('field') ?? {};
  return render(c, {
    title: t('ticketAdmin.title'),
    status,
    page: (
      <Page title={t('ticketAdmin.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('ticketAdmin.title') }]}>
        <section class="card" id="settings">
          <h2>{t('ticketAdmin.rules')}</h2>
          <FormError message={errorsFor('settings') ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/admin/tickets/settings')} class="stack">
            <Checkbox name="close_requires_supervisor" label={t('ticketAdmin.closeRequiresSupervisor')} checked={settingsValues.close_requires_supervisor === '1'} />
            <Checkbox name="notify_requester" label={t('ticketAdmin.notifyRequester')} checked={settingsValues.notify_requester === '1'} />
            <SelectField name="time_spent" label={t('replyTools.timeSpentSetting')} value={settingsValues.time_spent ?? 'off'} errors={errorsFor('settings')}
              options={(['off', 'optional', 'required'] as const).map((mode) => ({ value: mode, label: t(`replyTools.timeSpentSetting.${mode}`) }))} />
            <fieldset>
              <legend>{t('ticketAdmin.priorityNames')}</legend>
              <p class="hint">{t('ticketAdmin.priorityNamesHint')}</p>
              <div class="form-row">
                {PRIORITIES.map((p) => (
                  <TextField name={`priority_${p}`} label={t(`priority.${p}`)} value={settingsValues[`priority_${p}`]} placeholder={t(`priority.${p}`)} maxlength={40} errors={errorsFor('settings')} />
                ))}
              </div>
            </fieldset>
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>

        <section class="card" id="categories">
          <h2>{t('ticketAdmin.categories')}</h2>
          {categories.length === 0 ? <p class="muted">{t('ticketAdmin.noCategories')}</p> : (
            <ul class="config-list">
              {categories.map((cat) => {
                const errors = errorsFor('category', cat.id);
                const values = valuesFor('category', cat.id) ?? { name: cat.name, position: String(cat.position), ...(cat.active ? { active: '1' } : {}) };
                return (
                  <li class={cat.active ? 'config-item' : 'config-item config-item-off'}>
                    <form method="post" action={href(c, `/admin/tickets/categories/${cat.id}`)} class="config-row">
                      <div class={`field${errors?.name ? ' field-invalid' : ''}`}>
                        <label for={`cat-name-${cat.id}`} class="visually-hidden">{t('common.name')}</label>
                        <input id={`cat-name-${cat.id}`} name="name" value={values.name ?? ''} required maxlength={80} aria-invalid={errors?.name ? 'true' : undefined} />
                        {errors?.name ? <small class="field-error">{errors.name}</small> : null}
                      </div>
                      <div class={`field field-position${errors?.position ? ' field-invalid' : ''}`}>
                        <label for={`cat-pos-${cat.id}`} class="visually-hidden">{t('ticketAdmin.position')}</label>
                        <input id={`cat-pos-${cat.id}`} name="position" type="number" min="0" value={values.position ?? ''} title={t('ticketAdmin.position')} />
                      </div>
                      <div class="field field-check">
                        <input type="checkbox" id={`cat-active-${cat.id}`} name="active" value="1" checked={values.active === '1'} />
                        <label for={`cat-active-${cat.id}`}>{t('ticketAdmin.active')}</label>
                      </div>
                      <button type="submit" class="button-small">{t('common.save')}</button>
                    </form>
                  </li>
                );
              })}
            </ul>
          )}
          <form method="post" action={href(c, '/admin/tickets/categories')} class="form-row add-row">
            <TextField name="name" label={t('ticketAdmin.newCategory')} value={newCategory?.name} required maxlength={80} errors={errorsFor('category')} />
            <TextField name="position" type="number" label={t('ticketAdmin.position')} value={newCategory?.position} errors={errorsFor('category')} />
            <div class="field field-submit"><button type="submit" class="button">{t('ticketAdmin.addCategory')}</button></div>
          </form>
        </section>

        <section class="card" id="fields">
          <h2>{t('ticketAdmin.fields')}</h2>
          <p class="muted"><a href={href(c, '/admin/fields')} id="ticket-fields-all-kinds">{t('recordFields.allKinds')}</a></p>
          {fields.length === 0 ? <p class="muted">{t('ticketAdmin.noFields')}</p> : (
            <div class="table-wrap">
              <table class="table">
                <thead><tr><th>{t('ticketAdmin.label')}</th><th>{t('ticketAdmin.key')}</th><th>{t('ticketAdmin.type')}</th><th>{t('ticketAdmin.limitTo')}</th><th>{t('ticketAdmin.required')}</th><th>{t('ticketAdmin.active')}</th></tr></thead>
                <tbody>
                  {fields.map((field) => {
                    const limited = JSON.parse(field.categories) as string[];
                    return (
                      <tr>
                        <td><a href={href(c, `/admin/tickets/fields/${field.id}`)}>{field.label}</a></td>
                        <td><code>{field.key}</code></td>
                        <td>{t(`ticketAdmin.type.${field.type}`)}</td>
                        <td>{limited.length ? limited.join(', ') : <span class="muted">{t('ticketAdmin.allCategories')}</span>}</td>
                        <td>{field.required ? t('common.yes') : t('common.no')}</td>
                        <td>{field.active ? <span class="badge badge-on">{t('common.yes')}</span> : <span class="badge badge-off">{t('ticketAdmin.inactive')}</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('ticketAdmin.newField')}</h3>
          <FormError message={errorsFor('field') ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/admin/tickets/fields')} class="stack">
            <TextField name="key" label={t('ticketAdmin.key')} value={newField.key} required maxlength={40} errors={errorsFor('field')} hint={t('ticketAdmin.keyHint')} />
            <FieldFormFields t={t} values={newField} errors={errorsFor('field')} scopes={categoryScopes(categories, t)} checked={state.section === 'field' ? state.checked ?? [] : []} />
            <button type="submit" class="button-primary">{t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

export function ticketSettingsRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.tickets')] as const;
  app.get('/admin/tickets', ...guard, (c) => ticketConfigPage(c));

  app.post('/admin/tickets/settings', ...guard, async (c) => {
    const form = await parseForm(c, settingsSchema);
    if (!form.ok) return ticketConfigPage(c, { section: 'settings', errors: form.errors, values: form.values }, 422);
    const current = ticketSettings(tenantOf(c));
    const next = {
      ...current,
      closeRequiresSupervisor: form.data.close_requires_supervisor === '1',
      notifyRequester: form.data.notify_requester === '1',
      // An older form without the field keeps the current rule.
      timeSpent: form.data.time_spent ?? current.timeSpent,
      priorityNames: [form.data.priority_1, form.data.priority_2, form.data.priority_3, form.data.priority_4],
    };
    await saveTicketSettings(c.var.services.db, tenantOf(c).id, next);
    await audit(c, 'admin.ticket_settings_updated', undefined, next);
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/admin/tickets'));
  });
}
