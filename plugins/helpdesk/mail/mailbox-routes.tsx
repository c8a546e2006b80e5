import type { Context, Hono } from 'hono';
import {
  Checkbox, FormError, HttpError, OrganisationPicker, Page, SelectField, TextField, flash, formatDateTime, href, parseForm, redirectTo, render, requirePermission, resolvePicked, scope, tenantOf, type AppEnv, type FieldErrors,
} from '../../../core/plugin-api.js';
import { testConnection } from './imap-connection.js';
import { createMailboxStore, IMAP_TLS_MODES, mailboxInputSchema, RULE_KINDS, ruleInputSchema } from './mailbox-store.js';
import { createSecretBox, SecretBoxError } from './secret-box.js';

function storeOf(c: Context<AppEnv>) {
  return createMailboxStore(c.var.services.db, tenantOf(c).id, createSecretBox(c.var.services.config.secret));
}

function idParam(c: Context<AppEnv>, name = 'id'): number {
  const id = Number(c.req.param(name));
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(404, c.var.t('helpdesk.mailboxes.notFound'));
  return id;
}

type Values = Record<string, string | number | null | undefined>;

function MailboxForm(props: { c: Context<AppEnv>; action: string; values: Values; errors: FieldErrors; editing: boolean }) {
  const { c, values, errors } = props;
  const t = c.var.t;
  return (
    <form method="post" action={props.action} class="stack hd-mailbox-form">
      <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
      <TextField name="name" label={t('helpdesk.field.name')} value={values.name} errors={errors} required maxlength={80} />
      <div class="hd-row">
        <TextField name="imap_host" label={t('helpdesk.field.imapHost')} value={values.imap_host} errors={errors} required placeholder="imap.example.com" />
        <TextField name="imap_port" label={t('helpdesk.field.imapPort')} type="number" value={values.imap_port ?? 993} errors={errors} required />
      </div>
      <SelectField name="imap_tls" label={t('helpdesk.field.imapTls')} value={values.imap_tls ?? 'tls'} errors={errors} options={IMAP_TLS_MODES.map((mode) => ({ value: mode, label: t(`helpdesk.tls.${mode}`) }))} />
      <TextField name="imap_user" label={t('helpdesk.field.imapUser')} value={values.imap_user} errors={errors} required autocomplete="off" />
      <TextField name="imap_password" label={t('helpdesk.field.imapPassword')} type="password" errors={errors} autocomplete="new-password" hint={props.editing ? t('helpdesk.field.imapPasswordKeep') : undefined} required={!props.editing} />
      <TextField name="imap_folder" label={t('helpdesk.field.imapFolder')} value={values.imap_folder ?? 'INBOX'} errors={errors} required />
      <TextField name="smtp_url" label={t('helpdesk.field.smtpUrl')} value={props.editing && values.smtp_url === '__kept__' ? '' : values.smtp_url} errors={errors} hint={t('helpdesk.field.smtpHint')} autocomplete="off" placeholder={props.editing && values.smtp_url === '__kept__' ? t('helpdesk.rules.unchanged') : undefined} />
      <TextField name="from_address" label={t('helpdesk.field.fromAddress')} type="email" value={values.from_address} errors={errors} required />
      <TextField name="from_name" label={t('helpdesk.field.fromName')} value={values.from_name} errors={errors} />
      <input type="hidden" name="active" value="0" />
      <Checkbox name="active" label={t('helpdesk.field.active')} checked={values.active === undefined || values.active === 1 || values.active === '1'} />
      <div><button type="submit" class="button-primary">{t('common.save')}</button></div>
    </form>
  );
}

/** The tenant admin's mailbox screens: list, add, edit (with connection test and sender filters), remove. */
export function mailboxRoutes(app: Hono<AppEnv>): void {
  app.use('/mailboxes', requirePermission('helpdesk.admin'));
  app.use('/mailboxes/*', requirePermission('helpdesk.admin'));

  app.get('/mailboxes', async (c) => {
    const t = c.var.t;
    const rows = await storeOf(c).list();
    return render(c, {
      title: t('helpdesk.mailboxes.title'),
      page: (
        <Page title={t('helpdesk.mailboxes.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('helpdesk.mailboxes.title') }]} actions={<a class="button" href={href(c, '/p/helpdesk/mailboxes/new')}>{t('helpdesk.mailboxes.new')}</a>}>
          <p class="muted">{t('helpdesk.mailboxes.intro')}</p>
          {rows.length === 0 ? <p>{t('helpdesk.mailboxes.empty')}</p> : (
            <div class="table-wrap">
              <table class="table">
                <thead><tr><th>{t('helpdesk.field.name')}</th><th>{t('helpdesk.field.imapHost')}</th><th>{t('helpdesk.field.fromAddress')}</th><th>{t('helpdesk.status.lastChecked')}</th></tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr>
                      <td><a href={href(c, `/p/helpdesk/mailboxes/${row.id}`)}>{row.name}</a>{row.active ? '' : ` (${t('helpdesk.no')})`}</td>
                      <td>{row.imap_user}@{row.imap_host}:{row.imap_port}/{row.imap_folder}</td>
                      <td>{row.from_address}</td>
                      <td>{row.last_checked_at ? formatDateTime(row.last_checked_at, c.var.dates) : t('helpdesk.status.never')}{row.last_error ? <div class="field-error">{row.last_error}</div> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Page>
      ),
    });
  });

  const newPage = (c: Context<AppEnv>, values: Values, errors: FieldErrors, status: 200 | 422 = 200) => render(c, {
    title: c.var.t('helpdesk.mailboxes.new'), status,
    page: <Page title={c.var.t('helpdesk.mailboxes.new')} crumbs={[{ label: c.var.t('nav.admin'), href: href(c, '/admin') }, { label: c.var.t('helpdesk.mailboxes.title'), href: href(c, '/p/helpdesk/mailboxes') }]}>
      <MailboxForm c={c} action={href(c, '/p/helpdesk/mailboxes')} values={values} errors={errors} editing={false} />
    </Page>,
  });

  app.get('/mailboxes/new', (c) => newPage(c, {}, {}));

  app.post('/mailboxes', async (c) => {
    const form = await parseForm(c, mailboxInputSchema);
    if (!form.ok) return newPage(c, form.values, form.errors, 422);
    if (!form.data.imap_password) return newPage(c, form.values, { imap_password: c.var.t('helpdesk.passwordRequired') }, 422);
    const id = await storeOf(c).create(form.data);
    await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: c.var.user!.id, label: c.var.user!.name }, action: 'helpdesk.mailbox_created', target: String(id), details: { host: form.data.imap_host, user: form.data.imap_user } });
    flash(c, 'success', c.var.t('helpdesk.mailboxes.created'));
    return redirectTo(c, href(c, `/p/helpdesk/mailboxes/${id}`));
  });

  const editPage = async (c: Context<AppEnv>, id: number, override?: { values: Values; errors: FieldErrors }) => {
    const t = c.var.t;
    const store = storeOf(c);
    const row = await store.get(id);
    if (!row) throw new HttpError(404, t('helpdesk.mailboxes.notFound'));
    const rules = await store.rules(id);
    // Only the rules' customers by name: the add form picks one of possibly thousands as-you-type.
    const ruleOrganisations = [...new Set(rules.map((r) => r.organisation_id).filter((v): v is number => v !== null))];
    const s = scope(c);
    const [organisations, groups, categories] = await Promise.all([
      ruleOrganisations.length ? s.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ruleOrganisations).execute() : Promise.resolve([]),
      s.selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute(),
      s.selectFrom('ticket_categories').select(['name']).where('active', '=', 1).orderBy('position').execute(),
    ]);
    const values: Values = override?.values ?? { ...row, imap_password: '', smtp_url: row.smtp_url ? '__kept__' : '' };
    const base = `/p/helpdesk/mailboxes/${id}`;
    return render(c, {
      title: row.name, status: override ? 422 : 200,
      page: (
        <Page title={row.name} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('helpdesk.mailboxes.title'), href: href(c, '/p/helpdesk/mailboxes') }]}>
          <section class="card stack">
            <div class="hd-test">
              <button type="button" class="button" hx-post={href(c, `${base}/test`)} hx-target="#hd-test-result" hx-swap="innerHTML">{t('helpdesk.test.button')}</button>
              <div id="hd-test-result" role="status" aria-live="polite"></div>
            </div>
            {row.last_error ? <p class="field-error">{t('helpdesk.status.error')}: {row.last_error}</p> : null}
            <MailboxForm c={c} action={href(c, base)} values={values} errors={override?.errors ?? {}} editing />
          </section>
          <section class="card stack" id="rules">
            <h2>{t('helpdesk.rules.title')}</h2>
            <p class="muted">{t('helpdesk.rules.intro')}</p>
            {rules.length === 0 ? <p>{t('helpdesk.rules.empty')}</p> : (
              <div class="table-wrap">
                <table class="table">
                  <thead><tr><th>{t('helpdesk.rules.kind')}</th><th>{t('helpdesk.rules.organisation')}</th><th>{t('helpdesk.rules.group')}</th><th>{t('helpdesk.rules.priority')}</th><th>{t('helpdesk.rules.category')}</th><th><span class="visually-hidden">{t('helpdesk.rules.remove')}</span></th></tr></thead>
                  <tbody>
                    {rules.map((rule) => (
                      <tr>
                        <td>{t(`helpdesk.rules.kind.${rule.kind}`)}{rule.value ? `: ${rule.value}` : ''}</td>
                        <td>{organisations.find((o) => o.id === rule.organisation_id)?.name ?? '–'}</td>
                        <td>{groups.find((g) => g.id === rule.group_id)?.name ?? '–'}</td>
                        <td>{rule.priority ?? '–'}</td>
                        <td>{rule.category ?? '–'}</td>
                        <td><form method="post" action={href(c, `${base}/rules/${rule.id}/delete`)}><button type="submit" class="button-small">{t('helpdesk.rules.remove')}</button></form></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <form method="post" action={href(c, `${base}/rules`)} class="stack">
              <div class="hd-row">
                <SelectField name="kind" label={t('helpdesk.rules.kind')} value="address" options={RULE_KINDS.map((kind) => ({ value: kind, label: t(`helpdesk.rules.kind.${kind}`) }))} />
                <TextField name="value" label={t('helpdesk.rules.value')} placeholder="kunde@example.com / example.com" />
              </div>
              <div class="hd-row">
                <OrganisationPicker c={c} name="organisation_id" label={t('helpdesk.rules.organisation')} value="" display={undefined} />
                <SelectField name="group_id" label={t('helpdesk.rules.group')} empty="–" options={groups.map((g) => ({ value: g.id, label: g.name }))} />
              </div>
              <div class="hd-row">
                <SelectField name="priority" label={t('helpdesk.rules.priority')} empty="–" options={[1, 2, 3, 4].map((p) => ({ value: p, label: String(p) }))} />
                <SelectField name="category" label={t('helpdesk.rules.category')} empty="–" options={categories.map((k) => ({ value: k.name, label: k.name }))} />
              </div>
              <div><button type="submit" class="button-primary">{t('helpdesk.rules.add')}</button></div>
            </form>
          </section>
          <section class="card">
            <form method="post" action={href(c, `${base}/delete`)}><button type="submit" class="button-danger">{t('helpdesk.mailboxes.delete')}</button></form>
          </section>
        </Page>
      ),
    });
  };

  app.get('/mailboxes/:id', (c) => editPage(c, idParam(c)));

  app.post('/mailboxes/:id', async (c) => {
    const id = idParam(c);
    const store = storeOf(c);
    if (!(await store.get(id))) throw new HttpError(404, c.var.t('helpdesk.mailboxes.notFound'));
    const form = await parseForm(c, mailboxInputSchema);
    if (!form.ok) return editPage(c, id, { values: form.values, errors: form.errors });
    const current = (await store.get(id))!;
    // An empty SMTP field on an edit keeps the stored URL (it is never shown back).
    const smtpUrl = form.data.smtp_url || (current.smtp_url ? store.smtpUrl(current) ?? '' : '');
    await store.update(id, { ...form.data, smtp_url: smtpUrl });
    await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: c.var.user!.id, label: c.var.user!.name }, action: 'helpdesk.mailbox_updated', target: String(id) });
    flash(c, 'success', c.var.t('helpdesk.mailboxes.saved'));
    return redirectTo(c, href(c, `/p/helpdesk/mailboxes/${id}`));
  });

  app.post('/mailboxes/:id/test', async (c) => {
    const t = c.var.t;
    const store = storeOf(c);
    const row = await store.get(idParam(c));
    if (!row) throw new HttpError(404, t('helpdesk.mailboxes.notFound'));
    let message: string;
    let ok = false;
    try {
      const report = await testConnection(store.connection(row));
      ok = report.ok;
      message = report.ok ? t('helpdesk.test.ok', { messages: report.messages, idle: t(report.idle ? 'helpdesk.yes' : 'helpdesk.no') }) : t(`helpdesk.test.${report.stage}`, { detail: report.detail });
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      message = t('helpdesk.test.credentials');
    }
    return c.html(<p class={ok ? 'hd-test-ok' : 'field-error'} data-stage={ok ? 'ok' : 'failed'}>{message}</p>);
  });

  app.post('/mailboxes/:id/delete', async (c) => {
    const id = idParam(c);
    if (!(await storeOf(c).remove(id))) throw new HttpError(404, c.var.t('helpdesk.mailboxes.notFound'));
    await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: c.var.user!.id, label: c.var.user!.name }, action: 'helpdesk.mailbox_deleted', target: String(id) });
    flash(c, 'success', c.var.t('helpdesk.mailboxes.deleted'));
    return redirectTo(c, href(c, '/p/helpdesk/mailboxes'));
  });

  app.post('/mailboxes/:id/rules', async (c) => {
    const id = idParam(c);
    const store = storeOf(c);
    if (!(await store.get(id))) throw new HttpError(404, c.var.t('helpdesk.mailboxes.notFound'));
    const form = await parseForm(c, ruleInputSchema);
    if (!form.ok) throw new HttpError(422, Object.values(form.errors)[0] ?? c.var.t('error.invalid'), form.errors);
    // Without JavaScript the organisation picker posts a typed name: it becomes the id (or a refusal naming the problem).
    const values: Record<string, string | undefined> = form.values;
    if ('organisation_id_text' in values) {
      const pickError = await resolvePicked(c, values, 'organisation_id');
      if (pickError) throw new HttpError(422, pickError, { organisation_id: pickError });
      form.data.organisation_id = values.organisation_id ? Number(values.organisation_id) : undefined;
    }
    const s = scope(c);
    // References must be the tenant's own.
    if (form.data.organisation_id && !(await s.selectFrom('organisations').select('id').where('id', '=', form.data.organisation_id).executeTakeFirst())) throw new HttpError(422, c.var.t('validation.unknownReference'), { organisation_id: c.var.t('validation.unknownReference') });
    if (form.data.group_id && !(await s.selectFrom('support_groups').select('id').where('id', '=', form.data.group_id).executeTakeFirst())) throw new HttpError(422, c.var.t('validation.unknownReference'), { group_id: c.var.t('validation.unknownReference') });
    await store.addRule(id, form.data);
    flash(c, 'success', c.var.t('helpdesk.rules.added'));
    return redirectTo(c, href(c, `/p/helpdesk/mailboxes/${id}#rules`));
  });

  app.post('/mailboxes/:id/rules/:ruleId/delete', async (c) => {
    const id = idParam(c);
    if (!(await storeOf(c).removeRule(id, idParam(c, 'ruleId')))) throw new HttpError(404, c.var.t('helpdesk.mailboxes.notFound'));
    flash(c, 'success', c.var.t('helpdesk.rules.removed'));
    return redirectTo(c, href(c, `/p/helpdesk/mailboxes/${id}#rules`));
  });
}
