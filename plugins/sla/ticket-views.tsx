import type { Child } from 'hono/jsx';
import { formatDateTime, scopeFor, type SlotContext, type TicketSlotProps, type Translate } from '../../core/plugin-api.js';
import { durationParts, liveClocks, liveFirstLines, type LiveClock } from './live-clocks.js';
import type { SlaDB } from './sla-db.js';

/** Who sees the clocks (agents, supervisors, admins). */
export const VIEW = 'sla.view';

export const duration = (t: Translate, minutes: number) => t('sla.duration', durationParts(minutes));

function clockText(t: Translate, clock: LiveClock): string {
  const name = t(`sla.clock.${clock.clock}`);
  if (clock.state === 'met') return t('sla.badge.met', { name });
  if (clock.state === 'breached') return t('sla.badge.breached', { name, over: duration(t, clock.overMinutes ?? 0) });
  if (clock.state === 'stopped') return t('sla.badge.stopped', { name });
  if (clock.state === 'paused') return t('sla.badge.paused', { name, left: duration(t, clock.left ?? 0) });
  if ((clock.left ?? 0) < 0) return t('sla.badge.over', { name, over: duration(t, -(clock.left ?? 0)) });
  return t('sla.badge.left', { name, left: duration(t, clock.left ?? 0) });
}

/** The ticket header: one badge per clock still open (green, amber within an hour, red overdue, grey paused). */
export async function ClockBadges(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  if (!ctx.can(VIEW)) return null;
  const now = ctx.now;
  const clocks = (await liveClocks(ctx.scope, [ctx.props.ticket.id], now)).filter((clock) => clock.tone !== 'done');
  const [box] = await liveFirstLines(ctx.scope, [ctx.props.ticket.id], now);
  if (clocks.length === 0 && !box) return null;
  return (
    <span class="sla-badges" id="sla-badges">
      {box ? (
        <span class={`badge sla-badge sla-tone-${box.tone}`} id="sla-badge-first_line" data-state={box.tone === 'late' ? 'over' : 'running'} title={formatDateTime(box.dueAt, ctx.dates)}>
          {box.left < 0 ? ctx.t('sla.firstLine.badge.over', { over: duration(ctx.t, -box.left) }) : ctx.t('sla.firstLine.badge.left', { left: duration(ctx.t, box.left) })}
        </span>
      ) : null}
      {clocks.map((clock) => (
        <span class={`badge sla-badge sla-tone-${clock.tone}`} id={`sla-badge-${clock.clock}`} data-state={clock.state}
          title={clock.dueAt ? formatDateTime(clock.dueAt, ctx.dates) : undefined}>{clockText(ctx.t, clock)}</span>
      ))}
    </span>
  );
}

/** Why a ticket has its level, in the reader's words ("from contract V-1"). */
export function reasonText(t: Translate, source: string, label: string): string {
  return t(`sla.reason.${source}`, { label });
}

/** The side column: the level, why, and each clock's due, achieved and paused time. */
export async function TicketLevelPanel(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  if (!ctx.can(VIEW)) return null;
  const { t } = ctx;
  const chosen = await scopeFor<SlaDB>(ctx.scope).selectFrom('sla_tickets').innerJoin('sla_levels', 'sla_levels.id', 'sla_tickets.level_id')
    .select(['sla_levels.name', 'sla_tickets.source', 'sla_tickets.source_label']).where('sla_tickets.ticket_id', '=', ctx.props.ticket.id).executeTakeFirst();
  if (!chosen) return <section class="card sla-panel" id="sla-ticket"><h2>{t('sla.level')}</h2><p class="muted">{t('sla.level.none')}</p></section>;
  const clocks = await liveClocks(ctx.scope, [ctx.props.ticket.id], ctx.now);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, ctx.dates) : '–');
  return (
    <section class="card sla-panel" id="sla-ticket">
      <h2>{t('sla.level')}</h2>
      <p><strong id="sla-level-name">{chosen.name}</strong> <span class="muted" id="sla-level-reason">{reasonText(t, chosen.source, chosen.source_label)}</span></p>
      <dl class="sla-clocks">
        {clocks.map((clock) => (
          <div class={`sla-clock sla-tone-${clock.tone}`} id={`sla-clock-${clock.clock}`}>
            <dt>{t(`sla.clock.${clock.clock}`)}</dt>
            <dd>
              {clockText(t, clock)}<br />
              <span class="muted">{t('sla.due')}: {when(clock.dueAt)}{clock.achievedAt ? ` · ${t('sla.achieved')}: ${when(clock.achievedAt)}` : ''}
                {clock.pausedMinutes > 0 ? ` · ${t('sla.pausedFor', { time: duration(t, clock.pausedMinutes) })}` : ''}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
