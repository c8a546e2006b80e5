import type { Context, Hono } from 'hono';
import {
  DomainError, FormError, Page, SelectField, href, pageParam, render, requirePermission, staff, tenantOf, formatDateTime, type AppEnv,
} from '../../core/plugin-api.js';
import { eventLog, type EventRow } from './event-log.js';
import { SOURCE_KINDS } from './parse/monitoring-event.js';
import { sourceStore } from './source-store.js';
import { TELEPHONY_KIND } from './telephony-kind.js';

const MANAGE = 'connect.manage';

/** The admin pages: the sources with their webhook addresses (a new token shown once) and the raw event log. */
export function sourceRoutes(app: Hono<AppEnv>): void {
  app.get('/sources', requirePermission(MANAGE), (c) => sourcesPage(c, {}));

  app.post('/sources', requirePermission(MANAGE), async (c) => {
    const form = await c.req.parseBody();
    const kind = String(form.kind ?? '');
    const user = staff(c);
    try {
      const { token } = await sourceStore(c.var.services, tenantOf(c).id).create(kind, { id: user.id, label: user.email }, form.replace === '1');
      c.header('Cache-Control', 'no-store');
      return sourcesPage(c, { token, kind });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return sourcesPage(c, { kind, fields: error.fields }, error.kind === 'conflict' ? 409 : 422);
    }
  });

  app.get('/events', requirePermission(MANAGE), async (c) => {
    const t = c.var.t;
    const page = pageParam(c.req.query('page'));
    const { rows, more } = await eventLog(c.var.services.db, tenantOf(c).id).page(page);
    return render(c, {
      title: t('connect.events'),
      page: (
        <Page title={t('connect.events')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('connect.events') }]}>
          <p class="muted">{t('connect.events.text')}</p>
          <EventTable c={c} rows={rows} />
          <nav class="connect-pages">
            {page > 1 ? <a href={href(c, `/p/connect/events?page=${page - 1}`)}>{t('connect.previous')}</a> : null}
            {more ? <a href={href(c, `/p/connect/events?page=${page + 1}`)}>{t('connect.next')}</a> : null}
          </nav>
        </Page>
      ),
    });
  });
}

async function sourcesPage(c: Context<AppEnv>, state: { token?: string; kind?: string; fields?: Readonly<Record<string, string>> | undefined }, status: 200 | 409 | 422 = 200) {
  const t = c.var.t;
  const sources = await sourceStore(c.var.services, tenantOf(c).id).list();
  const origin = c.var.services.config.baseUrl ?? new URL(c.req.url).origin;
  const hook = (kind: string) => `${origin}${href(c, kind === TELEPHONY_KIND ? '/hooks/telephony' : `/hooks/monitoring/${kind}`)}`;
  const errors = Object.fromEntries(Object.entries(state.fields ?? {}).map(([field, key]) => [field, t(key)]));
  return render(c, {
    title: t('connect.sources'),
    status,
    page: (
      <Page title={t('connect.sources')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('connect.sources') }]}>
        {state.token ? (
          <div class="card connect-token" id="connect-token" role="status">
            <p>{t('connect.token.once', { source: state.kind ?? '' })}</p>
            <code>{state.token}</code>
            <p class="muted">{t('connect.token.how')}</p>
            <code>{hook(state.kind ?? '')}</code>
          </div>
        ) : null}
        <form method="post" action={href(c, '/p/connect/sources')} class="card stack" id="connect-source-form">
          <FormError message={state.fields ? t('error.invalid') : undefined} />
          <SelectField name="kind" label={t('connect.source.field')} value={state.kind ?? ''} errors={errors}
            options={[...SOURCE_KINDS, TELEPHONY_KIND].map((kind) => ({ value: kind, label: t(`connect.kind.${kind}`) }))} />
          <label class="field-check"><input type="checkbox" name="replace" value="1" /> {t('connect.source.replace')}</label>
          <div><button type="submit" class="button-primary" id="connect-source-add">{t('connect.source.add')}</button></div>
        </form>
        {sources.length === 0 ? <p class="muted" id="connect-no-sources">{t('connect.sources.empty')}</p> : (
          <div class="table-wrap">
            <table class="table" id="connect-sources">
              <thead><tr><th>{t('connect.source.field')}</th><th>{t('connect.source.hook')}</th><th>{t('connect.source.hint')}</th><th>{t('connect.source.created')}</th></tr></thead>
              <tbody>
                {sources.map((source) => (
                  <tr>
                    <td>{t(`connect.kind.${source.kind}`)}</td>
                    <td><code class="connect-hook">{hook(source.kind)}</code></td>
                    <td><code>{source.token_hint}…</code></td>
                    <td>{formatDateTime(source.created_at, c.var.dates)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p><a href={href(c, '/p/connect/events')}>{t('connect.events')}</a> · <a href={href(c, '/p/connect/settings')}>{t('connect.settings')}</a></p>
      </Page>
    ),
  });
}

function EventTable(props: { c: Context<AppEnv>; rows: EventRow[] }) {
  const { c, rows } = props;
  const t = c.var.t;
  if (rows.length === 0) return <p class="muted" id="connect-no-events">{t('connect.events.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="table" id="connect-events">
        <thead><tr><th>{t('connect.event.time')}</th><th>{t('connect.source.field')}</th><th>{t('connect.event.check')}</th><th>{t('connect.event.state')}</th><th>{t('connect.event.outcome')}</th><th>{t('connect.event.ticket')}</th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td>{formatDateTime(row.received_at, c.var.dates)}</td>
              <td>{row.kind}</td>
              <td>{row.service ? `${row.host} / ${row.service}` : row.host}</td>
              <td>{row.state.toUpperCase()}</td>
              <td class={`connect-outcome connect-outcome-${row.outcome}`}>{t(`connect.outcome.${row.outcome}`)}{row.detail ? <small class="muted"> {row.detail}</small> : null}</td>
              <td>{row.ticket_number ? <a href={href(c, `/desk/tickets/${row.ticket_number}`)}>{row.ticket_number}</a> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details class="connect-raw"><summary>{t('connect.event.raw')}</summary>
        {rows.map((row) => <pre id={`connect-raw-${row.id}`}>{row.body.slice(0, 4000)}</pre>)}
      </details>
    </div>
  );
}
