import { DEFAULT_TIME_ZONE, pluginScope, zonedDayEnd, zonedDayStart, type StatisticsPanel, type TenantScope } from '../../core/plugin-api.js';
import type { KnowledgeDB } from './knowledge-db.js';

/** How many entries the panel names. */
const TOP = 10;

export interface EntryUse { id: number; title: string; uses: number; solved: number }

/**
 * The entries agents used most on tickets in the period (from the ticket panel's "use" and `??`: one row per
 * ticket and entry), with how many of those tickets were solved with it; most used first, then by title.
 */
export async function mostUsedEntries(scope: TenantScope, period: { from: string; to: string }, zone: string): Promise<EntryUse[]> {
  const rows = await pluginScope<KnowledgeDB>(scope.db, scope.tenantId).selectFrom('knowledge_ticket_uses as u')
    .innerJoin('knowledge_entries as e', 'e.id', 'u.entry_id')
    .select((eb) => ['e.id', 'e.title', eb.fn.countAll<number>().as('uses'), eb.fn.sum<number>('u.solved').as('solved')])
    .where('u.used_at', '>=', zonedDayStart(period.from, zone)!).where('u.used_at', '<', zonedDayEnd(period.to, zone)!)
    .groupBy(['e.id', 'e.title']).orderBy('uses', 'desc').orderBy('e.title').limit(TOP).execute();
  return rows.map((row) => ({ id: row.id, title: row.title, uses: Number(row.uses), solved: Number(row.solved ?? 0) }));
}

/** The Statistics page's panel: the most used entries in the page's period, as a table (a list of names, no chart). */
export const usagePanel: StatisticsPanel = {
  id: 'most-used',
  label: { en: 'Knowledge: most used entries', de: 'Wissen: meistgenutzte Einträge' },
  permission: 'knowledge.view',
  async render(ctx) {
    const entries = await mostUsedEntries(ctx.scope, ctx.props.period, ctx.dates.timeZone || DEFAULT_TIME_ZONE);
    if (!entries.length) return <p class="muted" id="knowledge-stats-none">{ctx.t('knowledge.stats.none')}</p>;
    return (
      <div class="table-wrap">
        <table class="table" id="knowledge-stats">
          <caption class="visually-hidden">{ctx.t('knowledge.stats.caption')}</caption>
          <thead><tr><th scope="col">{ctx.t('knowledge.stats.entry')}</th><th scope="col" class="num">{ctx.t('knowledge.stats.uses')}</th><th scope="col" class="num">{ctx.t('knowledge.stats.solved')}</th></tr></thead>
          <tbody>
            {entries.map((entry) => (
              <tr><th scope="row"><a href={ctx.href(`/p/knowledge/entries/${entry.id}`)}>{entry.title}</a></th><td class="num">{entry.uses}</td><td class="num">{entry.solved}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  },
};
