import { BarChart, pluginScope, zonedDayEnd, zonedDayStart, type StatisticsPanel, type TenantScope } from '../../core/plugin-api.js';
import { CALLS } from './call-popup.js';
import type { ConnectDB } from './connect-db.js';

/** An agent counts as signed in when one of their sessions was seen this recently (core writes last-seen once a minute). */
const SIGNED_IN_MS = 15 * 60_000;
/** A ringing call older than this is a PBX that never sent the hangup, not a caller waiting. */
const WAITING_MS = 60 * 60_000;
/** Answer times read for the median (the period's first ones beyond this are enough for a figure). */
const ANSWERED_READ = 20_000;

export interface QueueFigures {
  incoming: number; outgoing: number; missed: number; missedShare: number | null; answered: number;
  /** Seconds from ring to answer: median and mean of the period's answered incoming calls. */
  answerMedian: number | null; answerMean: number | null;
  waiting: number; agentsSignedIn: number; agentsWithExtension: number;
  alertsOpened: number; alertsOpen: number;
}

/** The hotline's phone queue in [from, to) (ISO instants) and right now; plus the monitoring alerts opened in it. */
export async function queueFigures(scope: TenantScope, from: string, to: string, now: Date): Promise<QueueFigures> {
  const db = pluginScope<ConnectDB>(scope.db, scope.tenantId);
  const inPeriod = db.selectFrom('connect_calls').where('started_at', '>=', from).where('started_at', '<', to);
  const [counts, answered, waiting, extensions, alertsOpened, alertsOpen] = await Promise.all([
    inPeriod.select(['direction', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('missed').as('missed')]).groupBy('direction').execute(),
    inPeriod.select(['started_at', 'answered_at']).where('direction', '=', 'in').where('answered_at', 'is not', null).orderBy('started_at').limit(ANSWERED_READ).execute(),
    db.selectFrom('connect_calls').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'ringing').where('direction', '=', 'in')
      .where('started_at', '>=', new Date(now.getTime() - WAITING_MS).toISOString()).executeTakeFirstOrThrow(),
    db.selectFrom('connect_extensions').select('user_id').execute(),
    db.selectFrom('connect_alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('opened_at', '>=', from).where('opened_at', '<', to).executeTakeFirstOrThrow(),
    db.selectFrom('connect_alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('open_key', 'is not', null).executeTakeFirstOrThrow(),
  ]);
  const agents = extensions.map((row) => row.user_id);
  // sessions.tenant_id is nullable (operators): filtered by the tenant by hand, as core's seat count does.
  const signedIn = agents.length
    ? await scope.db.selectFrom('sessions').select((eb) => eb.fn.count<number>('user_id').distinct().as('n')).where('tenant_id', '=', scope.tenantId)
      .where('user_id', 'in', agents).where('last_seen_at', '>=', new Date(now.getTime() - SIGNED_IN_MS).toISOString()).executeTakeFirstOrThrow()
    : { n: 0 };
  const of = (direction: string) => counts.find((row) => row.direction === direction);
  const incoming = Number(of('in')?.n ?? 0);
  const missed = Number(of('in')?.missed ?? 0);
  const waits = answered.map((row) => Math.max(0, (Date.parse(row.answered_at!) - Date.parse(row.started_at)) / 1000)).sort((a, b) => a - b);
  const median = waits.length ? (waits.length % 2 ? waits[(waits.length - 1) / 2]! : (waits[waits.length / 2 - 1]! + waits[waits.length / 2]!) / 2) : null;
  return {
    incoming, outgoing: Number(of('out')?.n ?? 0), missed, missedShare: incoming ? missed / incoming : null, answered: waits.length,
    answerMedian: median === null ? null : Math.round(median), answerMean: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
    waiting: Number(waiting.n), agentsSignedIn: Number(signedIn.n), agentsWithExtension: agents.length,
    alertsOpened: Number(alertsOpened.n), alertsOpen: Number(alertsOpen.n),
  };
}

/** The Statistics page's panel: calls and alerts in the chosen period, the queue right now (a bar chart with its table). */
export const callsPanel: StatisticsPanel = {
  id: 'calls',
  label: { en: 'Phone and monitoring', de: 'Telefon und Monitoring' },
  permission: CALLS,
  async render(ctx) {
    const { t, period, dates } = { t: ctx.t, period: ctx.props.period, dates: ctx.dates };
    const from = zonedDayStart(period.from, dates.timeZone) ?? `${period.from}T00:00:00.000Z`;
    const to = zonedDayEnd(period.to, dates.timeZone) ?? `${period.to}T23:59:59.999Z`;
    const f = await queueFigures(ctx.scope, from, to, ctx.now);
    const percent = f.missedShare === null ? '–' : `${Math.round(f.missedShare * 1000) / 10} %`;
    const seconds = (value: number | null) => (value === null ? '–' : `${value} s`);
    const rows: Array<[string, string, string]> = [
      ['incoming', t('connect.stats.incoming'), String(f.incoming)], ['outgoing', t('connect.stats.outgoing'), String(f.outgoing)],
      ['missed', t('connect.stats.missed'), String(f.missed)], ['missed-share', t('connect.stats.missedShare'), percent],
      ['answer-median', t('connect.stats.answerMedian'), seconds(f.answerMedian)], ['answer-mean', t('connect.stats.answerMean'), seconds(f.answerMean)],
      ['waiting', t('connect.stats.waiting'), String(f.waiting)], ['agents', t('connect.stats.agents'), `${f.agentsSignedIn} / ${f.agentsWithExtension}`],
      ['alerts-opened', t('connect.stats.alertsOpened'), String(f.alertsOpened)], ['alerts-open', t('connect.stats.alertsOpen'), String(f.alertsOpen)],
    ];
    return (
      <div class="stack">
        <BarChart title={t('connect.stats.chart')} id="connect-stats-chart" bars={[
          { label: t('connect.stats.incoming'), value: f.incoming }, { label: t('connect.stats.outgoing'), value: f.outgoing },
          { label: t('connect.stats.missed'), value: f.missed }, { label: t('connect.stats.alertsOpened'), value: f.alertsOpened },
        ]} />
        <div class="table-wrap">
          <table class="table" id="connect-stats">
            <tbody>{rows.map(([key, label, value]) => <tr data-figure={key}><th scope="row">{label}</th><td>{value}</td></tr>)}</tbody>
          </table>
        </div>
        <p><a href={ctx.href('/p/connect/calls')}>{t('connect.calls')}</a></p>
      </div>
    );
  },
};
