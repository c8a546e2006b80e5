import type { Hono } from 'hono';
import { Page, formatDateTime, href, render, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { listAlerts } from './alert-list.js';

/** The agents' list: the open monitoring alerts, each with its ticket. */
export function alertRoutes(app: Hono<AppEnv>): void {
  app.get('/', requirePermission('connect.view'), async (c) => {
    const t = c.var.t;
    const alerts = await listAlerts(c.var.services, tenantOf(c).id, { state: 'open' });
    return render(c, {
      title: t('connect.alerts'),
      page: (
        <Page title={t('connect.alerts')}>
          {alerts.length === 0 ? <p class="muted" id="connect-no-alerts">{t('connect.alerts.empty')}</p> : (
            <div class="table-wrap">
              <table class="table" id="connect-alerts">
                <thead><tr><th>{t('connect.event.check')}</th><th>{t('connect.event.state')}</th><th>{t('connect.alert.count')}</th><th>{t('connect.alert.last')}</th><th>{t('connect.event.ticket')}</th></tr></thead>
                <tbody>
                  {alerts.map((alert) => (
                    <tr>
                      <td>{alert.service ? `${alert.host} / ${alert.service}` : alert.host}</td>
                      <td>{alert.state.toUpperCase()}</td>
                      <td>{alert.events_count}</td>
                      <td>{formatDateTime(alert.last_at, c.var.dates)}</td>
                      <td><a href={href(c, `/desk/tickets/${alert.ticket_number}`)}>{alert.ticket_number}</a></td>
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
}
