import type { StatisticsPanel } from '../plugin-host/define-plugin.js';
import { COUNTED_STATUSES, countTicketsByStatus } from '../tickets/status-counts.js';
import { BarChart } from '../../views/components/bar-chart.js';

/** The core's first statistics panel: the tenant's tickets per status right now, as a chart with its numbers beside it. */
export const ticketsByStatusPanel: StatisticsPanel = {
  id: 'tickets-by-status',
  label: { en: 'Tickets by status', de: 'Tickets nach Status' },
  async render(ctx) {
    const { t } = ctx;
    const counts = await countTicketsByStatus(ctx.scope);
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    const share = new Intl.NumberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 0 });
    const bars = COUNTED_STATUSES.map((status) => ({ label: t(`status.${status}`), value: counts.get(status) ?? 0, tone: status }));
    return (
      <>
        <p class="muted">{t('statistics.byStatusNote')}</p>
        <div class="stat-figure">
          <BarChart title={t('statistics.byStatusChart')} bars={bars} />
          <div class="table-wrap">
            <table class="table" id="tickets-by-status">
              <thead><tr><th scope="col">{t('statistics.status')}</th><th scope="col" class="num">{t('statistics.tickets')}</th><th scope="col" class="num">{t('statistics.share')}</th></tr></thead>
              <tbody>
                {bars.map((bar) => (
                  <tr>
                    <th scope="row">{bar.label}</th>
                    <td class="num">{bar.value}</td>
                    <td class="num">{total > 0 ? share.format(bar.value / total) : '–'}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot><tr><th scope="row">{t('statistics.total')}</th><td class="num">{total}</td><td class="num">{total > 0 ? share.format(1) : '–'}</td></tr></tfoot>
            </table>
          </div>
        </div>
      </>
    );
  },
};
