import type { Context, Hono } from 'hono';
import { Checkbox, FormError, Page, PluginSwitchError, SelectField, TextField, flash, formatDateTime, href, redirectTo, render, scope, staff, tenantOf, updatePluginSettings, type AppEnv } from '../../core/plugin-api.js';
import { formValues, translated, viewerOf } from './ideas-http.js';
import { ideasSettings } from './settings.js';
import { reportPeriod, submittersReport } from './submitters-report.js';
import { MANAGE } from './viewer.js';
import { HttpError, csvDocument, csvResponse } from '../../core/plugin-api.js';

type Ctx = Context<AppEnv>;

async function managerOnly(c: Ctx) {
  if (!(await viewerOf(c)).manager) throw new HttpError(403, c.var.t('error.forbidden'));
}

/** The "submitters" report (page and CSV) for idea managers, and the settings page. */
export function reportRoutes(app: Hono<AppEnv>): void {
  app.get('/report', async (c) => {
    await managerOnly(c);
    const t = c.var.t;
    const raw = { from: c.req.query('from'), to: c.req.query('to') };
    let period;
    try {
      period = reportPeriod(raw, c.var.services.clock(), tenantOf(c).time_zone);
    } catch (error) {
      const refusal = translated(c, error);
      return render(c, { title: t('ideas.report'), status: 422, page: <Page title={t('ideas.report')}><ReportForm c={c} values={{ from: raw.from ?? '', to: raw.to ?? '' }} errors={refusal.fields} /></Page> });
    }
    const rows = await submittersReport(c.var.services.db, tenantOf(c).id, period, tenantOf(c).time_zone);
    return render(c, {
      title: t('ideas.report'),
      page: (
        <Page title={t('ideas.report')} crumbs={[{ label: t('ideas.board'), href: href(c, '/p/ideas') }, { label: t('ideas.report') }]}>
          <ReportForm c={c} values={period} errors={{}} />
          {rows.length === 0 ? <p class="muted" id="ideas-report-empty">{t('ideas.report.empty')}</p> : (
            <div class="table-wrap">
              <table class="table" id="ideas-report">
                <thead><tr><th scope="col">{t('ideas.report.submitter')}</th><th scope="col" class="num">{t('ideas.report.accepted')}</th><th scope="col">{t('ideas.report.proposals')}</th></tr></thead>
                <tbody>{rows.map((row) => (
                  <tr><th scope="row">{row.submitter}</th><td class="num">{row.accepted}</td>
                    <td>{row.proposals.map((p) => <div><a href={href(c, `/p/ideas/${p.id}`)}>{p.number} {p.title}</a> <span class="muted">{formatDateTime(p.accepted_at, c.var.dates)}</span></div>)}</td></tr>
                ))}</tbody>
              </table>
            </div>
          )}
          <p><a class="button" href={href(c, `/p/ideas/report.csv?from=${period.from}&to=${period.to}`)} id="ideas-report-csv" download>{t('ideas.report.csv')}</a></p>
        </Page>
      ),
    });
  });

  app.get('/report.csv', async (c) => {
    await managerOnly(c);
    const t = c.var.t;
    let period;
    try {
      period = reportPeriod({ from: c.req.query('from'), to: c.req.query('to') }, c.var.services.clock(), tenantOf(c).time_zone);
    } catch (error) {
      const refusal = translated(c, error);
      throw new HttpError(422, refusal.message, refusal.fields);
    }
    const rows = await submittersReport(c.var.services.db, tenantOf(c).id, period, tenantOf(c).time_zone);
    const csv = csvDocument([
      [t('ideas.report.submitter'), t('ideas.report.accepted'), t('ideas.report.proposals')],
      ...rows.map((row) => [row.submitter, row.accepted, row.proposals.map((p) => `${p.number} ${p.title}`).join('; ')]),
    ]);
    return csvResponse(c, `idea-submitters-${period.from}-${period.to}.csv`, csv);
  });

  app.get('/settings', async (c) => {
    if (!c.var.can(MANAGE)) throw new HttpError(403, c.var.t('error.forbidden'));
    const settings = await ideasSettings(c.var.services, tenantOf(c).id);
    return settingsPage(c, { portalIdeas: settings.portalIdeas ? '1' : '', managerGroupId: settings.managerGroupId === null ? '' : String(settings.managerGroupId) }, {});
  });

  app.post('/settings', async (c) => {
    if (!c.var.can(MANAGE)) throw new HttpError(403, c.var.t('error.forbidden'));
    const values = await formValues(c);
    const tenantId = tenantOf(c).id;
    const groupId = values.managerGroupId ? Number(values.managerGroupId) : null;
    const group = groupId === null ? null : await scope(c).selectFrom('support_groups').select('id').where('id', '=', Number.isSafeInteger(groupId) ? groupId : -1).executeTakeFirst();
    if (groupId !== null && !group) return settingsPage(c, values, { managerGroupId: c.var.t('ideas.error.invalid') }, 422);
    try {
      await updatePluginSettings(c.var.services.db, c.var.services.registry, tenantId, 'ideas', { portalIdeas: values.portalIdeas === '1', managerGroupId: groupId });
    } catch (error) {
      if (!(error instanceof PluginSwitchError)) throw error;
      return settingsPage(c, values, { managerGroupId: c.var.t('ideas.error.invalid') }, 422);
    }
    await c.var.services.audit.record({ tenantId, actor: { userId: staff(c).id, label: staff(c).email }, action: 'ideas.settings_changed', details: { portalIdeas: values.portalIdeas === '1', managerGroupId: groupId } });
    flash(c, 'success', c.var.t('ideas.saved'));
    return redirectTo(c, href(c, '/p/ideas/settings'));
  });
}

function ReportForm(props: { c: Ctx; values: { from: string; to: string }; errors: Record<string, string> }) {
  const t = props.c.var.t;
  return (
    <form method="get" action={href(props.c, '/p/ideas/report')} class="card ideas-filters" id="ideas-report-form">
      <FormError message={Object.keys(props.errors).length ? t('error.invalid') : undefined} />
      <TextField name="from" type="date" label={t('ideas.report.from')} value={props.values.from} errors={props.errors} />
      <TextField name="to" type="date" label={t('ideas.report.to')} value={props.values.to} errors={props.errors} />
      <div><button type="submit" class="button">{t('ideas.filter.apply')}</button></div>
    </form>
  );
}

async function settingsPage(c: Ctx, values: Record<string, string>, errors: Record<string, string>, status: 200 | 422 = 200) {
  const t = c.var.t;
  const groups = await scope(c).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute();
  return render(c, {
    title: t('ideas.settings'), status,
    page: (
      <Page title={t('ideas.settings')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('ideas.settings') }]}>
        <form method="post" action={href(c, '/p/ideas/settings')} class="card stack" id="ideas-settings-form">
          <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
          <Checkbox name="portalIdeas" label={t('ideas.settings.portalIdeas')} checked={values.portalIdeas === '1'} />
          <SelectField name="managerGroupId" label={t('ideas.settings.group')} value={values.managerGroupId ?? ''} empty={t('ideas.settings.noGroup')}
            options={groups.map((g) => ({ value: String(g.id), label: g.name }))} errors={errors} />
          <div><button type="submit" class="button-primary" id="ideas-settings-save">{t('ideas.comment.save')}</button></div>
        </form>
      </Page>
    ),
  });
}
