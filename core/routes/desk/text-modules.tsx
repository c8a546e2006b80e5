import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { MACRO_PLACEHOLDERS, renderMacro, unknownPlaceholders } from '../../tickets/macro-template.js';
import { ticketPlaceholders } from '../../tickets/placeholder-values.js';
import { KEYWORD, matchingTextModules, usableTextModules, type TextModuleRow } from '../../tickets/text-module-store.js';
import { FormError, SelectField, TextArea, TextField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { ownedRecordRoutes, type RecordFormState as FormState } from './owned-record-routes.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';

// Text modules (issue 18 point 2): snippets with placeholders, inserted in the reply by typing `::keyword`
// (static/text-modules.js asks the lookup below). Personal ones belong to their agent; modules for a group or
// everyone are shared and managed by holders of textModules.share.

const VISIBILITIES = ['personal', 'group', 'everyone'] as const;

const textModuleSchema = z.object({
  name: z.string().trim().min(1).max(120),
  keyword: z.string().trim().toLowerCase().regex(KEYWORD, 'textModule.keywordInvalid'),
  body: z.string().trim().min(1).max(20_000),
  visibility: z.enum(VISIBILITIES),
  group_id: z.string().optional().transform((v) => (v && /^\d{1,10}$/.test(v) ? Number(v) : null)),
});
type TextModuleForm = z.infer<typeof textModuleSchema>;

const visibilityOf = (m: Pick<TextModuleRow, 'user_id' | 'group_id'>) => (m.user_id !== null ? 'personal' : m.group_id !== null ? 'group' : 'everyone');
const mayEdit = (c: Context<AppEnv>, m: Pick<TextModuleRow, 'user_id'>) => (m.user_id === null ? c.var.can('textModules.share') : m.user_id === staff(c).id);
const listOf = (c: Context<AppEnv>) => usableTextModules(scope(c), staff(c).id, { manageShared: c.var.can('textModules.share') });
const groupsOf = (c: Context<AppEnv>) => scope(c).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute();

function ModuleFields(props: { c: Context<AppEnv>; state: FormState; groups: Array<{ id: number; name: string }> }) {
  const { c, state, groups } = props;
  const t = c.var.t;
  const values = state.values ?? {};
  const errors = state.errors;
  const share = c.var.can('textModules.share');
  return (
    <>
      <div class="form-row">
        <TextField name="name" label={t('common.name')} value={values.name} required maxlength={120} errors={errors} />
        <TextField name="keyword" label={t('textModule.keyword')} value={values.keyword} required maxlength={40} errors={errors} hint={t('textModule.keywordHint')} />
      </div>
      <TextArea name="body" label={t('textModule.body')} value={values.body} rows={6} required errors={errors}
        hint={t('macro.placeholders', { list: MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ') })} />
      {share ? (
        <div class="form-row">
          <SelectField name="visibility" label={t('textModule.visibility')} value={values.visibility ?? 'personal'} errors={errors}
            options={VISIBILITIES.map((v) => ({ value: v, label: t(`textModule.visibility.${v}`) }))} />
          <SelectField name="group_id" label={t('textModule.group')} value={values.group_id} empty="—" errors={errors}
            options={groups.map((g) => ({ value: g.id, label: g.name }))} />
        </div>
      ) : <input type="hidden" name="visibility" value="personal" />}
    </>
  );
}

async function listPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const [modules, groups] = await Promise.all([listOf(c).orderBy('text_modules.keyword').orderBy('text_modules.id').execute(), groupsOf(c)]);
  return render(c, {
    title: t('textModule.title'),
    status,
    page: (
      <Page title={t('textModule.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('macro.title'), href: href(c, '/desk/macros') }, { label: t('textModule.title') }]}>
        <section class="card">
          {modules.length === 0 ? <p class="muted">{t('textModule.none')}</p> : (
            <div class="table-wrap">
              <table class="table" id="text-modules">
                <thead><tr><th>{t('textModule.keyword')}</th><th>{t('common.name')}</th><th>{t('textModule.visibility')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
                <tbody>
                  {modules.map((m) => {
                    const editable = mayEdit(c, m);
                    const visibility = visibilityOf(m);
                    return (
                      <tr>
                        <td data-label={t('textModule.keyword')}><code>::{m.keyword}</code></td>
                        <td data-label={t('common.name')}>{editable ? <a href={href(c, `/desk/text-modules/${m.id}`)}>{m.name}</a> : m.name}</td>
                        <td data-label={t('textModule.visibility')}>{visibility === 'group' ? <span class="badge">{m.group_name}</span> : <span class={`badge${visibility === 'everyone' ? ' badge-on' : ''}`}>{t(`textModule.${visibility}Badge`)}</span>}</td>
                        <td>{editable ? (
                          <form method="post" action={href(c, `/desk/text-modules/${m.id}/delete`)}>
                            <button type="submit" class="button-small">{t('common.delete')}</button>
                          </form>
                        ) : null}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card">
          <h2>{t('textModule.new')}</h2>
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/desk/text-modules')} class="stack" id="text-module-form">
            <ModuleFields c={c} state={state} groups={groups} />
            <button type="submit" class="button-primary">{t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

async function editPage(c: Context<AppEnv>, module: TextModuleRow, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const values = state.values ?? { name: module.name, keyword: module.keyword, body: module.body, visibility: visibilityOf(module), group_id: module.group_id ? String(module.group_id) : '' };
  const unknown = unknownPlaceholders(values.body ?? '');
  return render(c, {
    title: module.name,
    status,
    page: (
      <Page title={module.name} crumbs={[{ label: t('textModule.title'), href: href(c, '/desk/text-modules') }, { label: module.name }]}>
        <section class="card">
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          {unknown.length ? <p class="notice">{t('macro.unknownPlaceholders', { list: unknown.map((p) => `{{${p}}}`).join(', ') })}</p> : null}
          <form method="post" action={href(c, `/desk/text-modules/${module.id}`)} class="stack">
            <ModuleFields c={c} state={{ values, errors: state.errors }} groups={await groupsOf(c)} />
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

/** Sharing needs textModules.share; a group module needs one of this tenant's groups. */
async function refusal(c: Context<AppEnv>, data: TextModuleForm): Promise<Record<string, string> | undefined> {
  if (data.visibility !== 'personal' && !c.var.can('textModules.share')) throw new HttpError(403, c.var.t('textModule.shareForbidden'));
  if (data.visibility !== 'group') return undefined;
  if (!data.group_id) return { group_id: c.var.t('textModule.groupRequired') };
  const group = await scope(c).selectFrom('support_groups').select('id').where('id', '=', data.group_id).executeTakeFirst();
  return group ? undefined : { group_id: c.var.t('validation.unknownReference') };
}

const rowOf = (c: Context<AppEnv>, data: TextModuleForm) => ({
  user_id: data.visibility === 'personal' ? staff(c).id : null,
  group_id: data.visibility === 'group' ? data.group_id : null,
  name: data.name, keyword: data.keyword, body: data.body,
});

/** A module this agent may change; anything else (another's, another tenant's) does not exist for them. */
async function editable(c: Context<AppEnv>): Promise<TextModuleRow> {
  const raw = c.req.param('id') ?? '';
  const module = /^\d{1,10}$/.test(raw) ? await listOf(c).where('text_modules.id', '=', Number(raw)).executeTakeFirst() : undefined;
  if (!module) throw new HttpError(404, c.var.t('error.notFound'));
  if (!mayEdit(c, module)) throw new HttpError(403, c.var.t('textModule.shareForbidden'));
  return module;
}

export function textModuleRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;
  ownedRecordRoutes(app, {
    path: '/desk/text-modules', table: 'text_modules', schema: textModuleSchema,
    listPage, editPage, editable, check: refusal,
    insert: (c, data, createdAt) => scope(c).insertInto('text_modules', { ...rowOf(c, data), created_at: createdAt }).execute(),
    update: (c, module, data) => scope(c).updateTable('text_modules').set(rowOf(c, data)).where('id', '=', module.id).execute(),
    messages: { saved: 'textModule.saved', deleted: 'textModule.deleted' },
  });

  // The `::` lookup: the matching modules with their text rendered for this ticket (JSON for static/text-modules.js).
  app.get(`${TICKET_PATH}/text-modules`, ...guard, async (c) => {
    const ticket = await findTicket(c, c.req.param('number'));
    const user = staff(c);
    const modules = await matchingTextModules(scope(c), user.id, (c.req.query('q') ?? '').trim());
    const { values } = await ticketPlaceholders(scope(c), tenantOf(c), ticket, { id: user.id, name: user.name }, c.var.t);
    c.header('Cache-Control', 'no-store');
    return c.json({ modules: modules.map((m) => ({ id: m.id, name: m.name, keyword: m.keyword, text: renderMacro(m.body, values) })) });
  });
}
