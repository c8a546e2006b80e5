import type { Hono } from 'hono';
import { FormError, Page, SelectField, formatDateTime, href, render, requirePermission, scope, scopeFor, type AppEnv } from '../../core/plugin-api.js';
import type { Ctx } from './admin-page.js';
import { liveClocks, liveFirstLines } from './live-clocks.js';
import { REPORTS } from './report-query.js';
import type { SlaDB } from './sla-db.js';
import { duration } from './ticket-views.js';

/** How far ahead the view looks (hours); the default is 4. */
export const AT_RISK_HOURS = ['1', '4', '8', '24'] as const;
/** The view lists at most this many tickets (the most urgent first). */
const LIMIT = 200;
const OPEN = ['new', 'open', 'waiting'] as const;

interface RiskRow { ticketId: number; number: string; subject: string; group: string | null; assignee: string | null; what: string; dueAt: string; left: number; tone: string }

/** The tickets whose open clocks or first-line boxes are overdue or due within `hours`, most urgent first. */
async function riskRows(c: Ctx, hours: number): Promise<RiskRow[]> {
  const t = c.var.t;
  const now = c.var.services.clock();
  const until = new Date(now.getTime() + hours * 3_600_000).toISOString();
  const s = scopeFor<SlaDB>(scope(c));
  const [clockIds, boxIds] = await Promise.all([
    s.selectFrom('sla_clocks').select('ticket_id').where('state', '=', 'running').where('due_at', '<=', until).orderBy('due_at').limit(LIMIT).execute(),
    s.selectFrom('sla_first_line').select('ticket_id').where('ended_at', 'is', null).where('due_at', '<=', until).orderBy('due_at').limit(LIMIT).execute(),
  ]);
  const ids = [...new Set([...clockIds, ...boxIds].map((row) => row.ticket_id))];
  if (ids.length === 0) return [];
  const tickets = new Map((await s.selectFrom('tickets').leftJoin('support_groups', 'support_groups.id', 'tickets.group_id').leftJoin('users', 'users.id', 'tickets.assignee_id')
    .select(['tickets.id', 'tickets.number', 'tickets.subject', 'support_groups.name as group_name', 'users.name as assignee_name'])
    .where('tickets.id', 'in', ids).where('tickets.deleted_at', 'is', null).where('tickets.status', 'in', [...OPEN]).execute()).map((row) => [row.id, row]));
  const rows: RiskRow[] = [];
  const add = (ticketId: number, what: string, dueAt: string, left: number, tone: string) => {
    const ticket = tickets.get(ticketId);
    if (ticket && dueAt <= until) rows.push({ ticketId, number: ticket.number, subject: ticket.subject, group: ticket.group_name, assignee: ticket.assignee_name, what, dueAt, left, tone });
  };
  for (const clock of await liveClocks(scope(c), ids, now)) if (clock.state === 'running' && clock.dueAt && clock.left !== null) add(clock.ticketId, t(`sla.clock.${clock.clock}`), clock.dueAt, clock.left, clock.tone);
  for (const box of await liveFirstLines(scope(c), ids, now)) add(box.ticketId, t('sla.firstLine'), box.dueAt, box.left, box.tone);
  return rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.number.localeCompare(b.number)).slice(0, LIMIT);
}

/** GET /p/sla/at-risk (supervisors, admins): tickets at risk sorted by due time, refreshed live and every minute. */
export function atRiskRoutes(app: Hono<AppEnv>): void {
  app.get('/at-risk', requirePermission(REPORTS), async (c) => {
    const t = c.var.t;
    const raw = c.req.query('within') ?? '4';
    const valid = (AT_RISK_HOURS as readonly string[]).includes(raw);
    const errors: Record<string, string> = valid ? {} : { within: t('sla.risk.withinInvalid') };
    const rows = valid ? await riskRows(c, Number(raw)) : [];
    const url = href(c, `/p/sla/at-risk?within=${valid ? raw : '4'}`);
    const table = (
      <div id="sla-risk" hx-get={url} hx-trigger="every 60s, sse:ticket throttle:2s" hx-select="#sla-risk" hx-swap="outerHTML">
        {rows.length === 0 ? <p class="muted" id="sla-risk-none">{t('sla.risk.none')}</p> : (
          <div class="table-wrap">
            <table class="table sla-risk-table" id="sla-risk-table">
              <thead><tr>
                <th scope="col">{t('sla.risk.ticket')}</th><th scope="col">{t('sla.risk.clock')}</th><th scope="col">{t('sla.due')}</th>
                <th scope="col">{t('sla.risk.left')}</th><th scope="col">{t('sla.risk.group')}</th><th scope="col">{t('sla.risk.assignee')}</th>
              </tr></thead>
              <tbody>{rows.map((row) => (
                <tr class={`sla-tone-${row.tone}`} data-ticket={row.number}>
                  <td class="sla-risk-ticket"><a href={href(c, `/desk/tickets/${row.number}`)}>{row.number}</a> <span class="sla-risk-subject">{row.subject}</span></td>
                  <td data-label={t('sla.risk.clock')}>{row.what}</td>
                  <td data-label={t('sla.due')}>{formatDateTime(row.dueAt, c.var.dates)}</td>
                  <td data-label={t('sla.risk.left')}><span class={`sla-due sla-tone-${row.tone}`}>{row.left < 0 ? t('sla.risk.over', { over: duration(t, -row.left) }) : duration(t, row.left)}</span></td>
                  <td data-label={t('sla.risk.group')}>{row.group ?? '–'}</td>
                  <td data-label={t('sla.risk.assignee')}>{row.assignee ?? '–'}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </div>
    );
    return render(c, {
      title: t('sla.risk.title'),
      ...(valid ? {} : { status: 422 as const }),
      page: (
        <Page title={t('sla.risk.title')}>
          <form method="get" action={href(c, '/p/sla/at-risk')} class="card sla-report-filters" id="sla-risk-filters">
            <FormError message={valid ? undefined : t('error.invalid')} />
            <SelectField name="within" label={t('sla.risk.within')} value={valid ? raw : '4'} errors={errors}
              options={AT_RISK_HOURS.map((h) => ({ value: h, label: t('sla.risk.hours', { hours: h }) }))} />
            <div><button type="submit" class="button">{t('sla.risk.show')}</button></div>
          </form>
          {table}
        </Page>
      ),
    });
  });
}

