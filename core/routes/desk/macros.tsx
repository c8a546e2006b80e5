import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { href, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import type { Macro } from '../../db/schema.js';
import { MACRO_PLACEHOLDERS, unknownPlaceholders } from '../../tickets/macro-template.js';
import { TICKET_STATUSES } from '../../tickets/ticket-lifecycle.js';
import { priorityName, priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import { Checkbox, FormError, SelectField, TextArea, TextField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { ownedRecordRoutes, type RecordFormState as FormState } from './owned-record-routes.js';
import { mayEditMacro, visibleMacro } from './macro-access.js';

const optionalId = z.string().optional().transform((v) => (v ? Number(v) : null)).pipe(z.number().int().positive().nullable());

export const macroSchema = z.object({
  name: z.string().trim().min(1).max(120),
  body: z.string().max(20_000).optional().default(''),
  article_kind: z.enum(['reply', 'note']),
  set_status: z.union([z.literal(''), z.enum(TICKET_STATUSES.filter((s) => s !== 'new') as ['open', 'waiting', 'solved', 'closed'])]).optional().transform((v) => v || null),
  set_priority: z.union([z.literal(''), z.enum(['1', '2', '3', '4'])]).optional().transform((v) => (v ? Number(v) : null)),
  set_group_id: optionalId,
  shared: z.literal('1').optional(),
}).refine((v) => v.body.trim() || v.set_status || v.set_priority || v.set_group_id, { path: ['body'], message: 'macro.empty' });

type MacroForm = z.infer<typeof macroSchema>;

function macroValues(macro: Macro): Record<string, string> {
  return {
    name: macro.name, body: macro.body, article_kind: macro.article_kind, set_status: macro.set_status ?? '',
    set_priority: macro.set_priority ? String(macro.set_priority) : '', set_group_id: macro.set_group_id ? String(macro.set_group_id) : '',
    ...(macro.user_id === null ? { shared: '1' } : {}),
  };
}

type GroupOption = { id: number; name: string };
const groupOptions = (c: Context<AppEnv>): Promise<GroupOption[]> => scope(c).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute();

function MacroFormFields(props: { c: Context<AppEnv>; state: FormState; groups: GroupOption[] }) {
  const { c, state, groups } = props;
  const t = c.var.t;
  const values = state.values ?? {};
  const errors = state.errors;
  const settings = ticketSettings(tenantOf(c));
  return (
    <>
      <TextField name="name" label={t('common.name')} value={values.name} required maxlength={120} errors={errors} />
      <TextArea name="body" label={t('macro.body')} value={values.body} rows={7} errors={errors}
        hint={t('macro.placeholders', { list: MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ') })} />
      <div class="form-row">
        <SelectField name="article_kind" label={t('macro.kind')} value={values.article_kind ?? 'reply'} errors={errors}
          options={[{ value: 'reply', label: t('macro.kind.reply') }, { value: 'note', label: t('macro.kind.note') }]} />
        <SelectField name="set_status" label={t('macro.setStatus')} value={values.set_status} empty={t('macro.unchanged')} errors={errors}
          options={TICKET_STATUSES.filter((s) => s !== 'new').map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        <SelectField name="set_priority" label={t('macro.setPriority')} value={values.set_priority} empty={t('macro.unchanged')} errors={errors}
          options={priorityOptions(settings, t)} />
        <SelectField name="set_group_id" label={t('macro.setGroup')} value={values.set_group_id} empty={t('macro.unchanged')} errors={errors}
          options={groups.map((g) => ({ value: g.id, label: g.name }))} />
      </div>
      {c.var.can('macros.share') ? <Checkbox name="shared" label={t('macro.shared')} checked={values.shared === '1'} /> : null}
    </>
  );
}

async function macrosPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const user = staff(c);
  const settings = ticketSettings(tenantOf(c));
  const macros = await scope(c).selectFrom('macros').leftJoin('support_groups', 'support_groups.id', 'macros.set_group_id')
    .select(['macros.id', 'macros.name', 'macros.user_id', 'macros.article_kind', 'macros.set_status', 'macros.set_priority', 'support_groups.name as group_name'])
    .where((eb) => eb.or([eb('macros.user_id', '=', user.id), eb('macros.user_id', 'is', null)]))
    .orderBy('macros.name').orderBy('macros.id').execute();
  const groups = await groupOptions(c);
  return render(c, {
    title: t('macro.title'),
    status,
    page: (
      <Page title={t('macro.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('macro.title') }]}>
        <p><a href={href(c, '/desk/text-modules')} id="text-modules-link">{t('textModule.title')}</a> · <span class="muted">{t('replyTools.modulesHint')}</span></p>
        <section class="card">
          {macros.length === 0 ? <p class="muted">{t('macro.none')}</p> : (
            <div class="table-wrap">
              <table class="table" id="macros">
                <thead><tr><th>{t('common.name')}</th><th>{t('macro.kind')}</th><th>{t('macro.sets')}</th><th>{t('macro.scope')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
                <tbody>
                  {macros.map((m) => {
                    const sets = [m.set_status ? t(`status.${m.set_status}`) : '', m.set_priority ? priorityName(settings, m.set_priority, t) : '', m.group_name ?? ''].filter(Boolean).join(' · ');
                    const editable = mayEditMacro(c, m);
                    return (
                      <tr>
                        <td>{editable ? <a href={href(c, `/desk/macros/${m.id}`)}>{m.name}</a> : m.name}</td>
                        <td>{t(`macro.kind.${m.article_kind}`)}</td>
                        <td>{sets || <span class="muted">—</span>}</td>
                        <td>{m.user_id === null ? <span class="badge badge-on">{t('macro.sharedBadge')}</span> : <span class="badge">{t('macro.personal')}</span>}</td>
                        <td>{editable ? (
                          <form method="post" action={href(c, `/desk/macros/${m.id}/delete`)}>
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
          <h2>{t('macro.new')}</h2>
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/desk/macros')} class="stack">
            <MacroFormFields c={c} state={state} groups={groups} />
            <button type="submit" class="button-primary">{t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

async function macroPage(c: Context<AppEnv>, macro: Macro, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const unknown = unknownPlaceholders(state.values?.body ?? macro.body);
  const groups = await groupOptions(c);
  return render(c, {
    title: macro.name,
    status,
    page: (
      <Page title={macro.name} crumbs={[{ label: t('macro.title'), href: href(c, '/desk/macros') }, { label: macro.name }]}>
        <section class="card">
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          {unknown.length ? <p class="notice">{t('macro.unknownPlaceholders', { list: unknown.map((p) => `{{${p}}}`).join(', ') })}</p> : null}
          <form method="post" action={href(c, `/desk/macros/${macro.id}`)} class="stack">
            <MacroFormFields c={c} state={{ values: state.values ?? macroValues(macro), errors: state.errors }} groups={groups} />
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

/** The group must be this tenant's; sharing needs macros.share. */
async function checkMacro(c: Context<AppEnv>, data: MacroForm): Promise<Record<string, string> | undefined> {
  if (data.shared && !c.var.can('macros.share')) throw new HttpError(403, c.var.t('macro.shareForbidden'));
  if (data.set_group_id) {
    const group = await scope(c).selectFrom('support_groups').select('id').where('id', '=', data.set_group_id).executeTakeFirst();
    if (!group) return { set_group_id: c.var.t('validation.unknownReference') };
  }
  return undefined;
}

function macroRow(c: Context<AppEnv>, data: MacroForm) {
  return {
    user_id: data.shared ? null : staff(c).id, name: data.name, body: data.body, article_kind: data.article_kind,
    set_status: data.set_status, set_priority: data.set_priority, set_group_id: data.set_group_id,
  };
}

async function editableMacro(c: Context<AppEnv>): Promise<Macro> {
  const macro = await visibleMacro(c, c.req.param('id'));
  if (!mayEditMacro(c, macro)) throw new HttpError(403, c.var.t('macro.shareForbidden'));
  return macro;
}

export function macroRoutes(app: Hono<AppEnv>): void {
  ownedRecordRoutes(app, {
    path: '/desk/macros', table: 'macros', schema: macroSchema,
    listPage: macrosPage, editPage: macroPage, editable: editableMacro, check: checkMacro,
    insert: (c, data, createdAt) => scope(c).insertInto('macros', { ...macroRow(c, data), created_at: createdAt }).execute(),
    update: (c, macro, data) => scope(c).updateTable('macros').set(macroRow(c, data)).where('id', '=', macro.id).execute(),
    messages: { saved: 'macro.saved', deleted: 'macro.deleted' },
  });
}
