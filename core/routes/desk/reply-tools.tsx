import type { Context } from 'hono';
import type { Ticket } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { scope, staff, tenantOf } from '../../http/guards.js';
import { renderMacro } from '../../tickets/macro-template.js';
import { ticketPlaceholders } from '../../tickets/placeholder-values.js';
import { signatureFor } from '../../tickets/signatures.js';
import { priorityName, ticketSettings } from '../../tickets/ticket-settings.js';
import type { TicketView } from '../../tickets/ticket-page-queries.js';
import { ticketUrl } from './ticket-page-parts.js';

// What the reply form adds around the editor (issue 18 points 2 and 3): what a macro filled for review, the
// signature the reply gets, the minutes spent and the host of the `::` text module lookup (static/text-modules.js).

/** The reply form's extras for this ticket and agent, read with the page. */
export interface ComposerExtras {
  /** The signature the reply gets, rendered for this ticket, and whose it is. */
  signature?: { label: string; text: string } | undefined;
}

export async function loadComposerExtras(c: Context<AppEnv>, ticket: Ticket): Promise<ComposerExtras> {
  if (!c.var.can('tickets.edit')) return {};
  const user = staff(c);
  // Most page views need one or two indexed reads here: the placeholders are read only for a signature that has some.
  const signature = await signatureFor(scope(c), ticket, user.id);
  if (!signature) return {};
  const label = signature.source === 'group' ? signature.groupName : c.var.t('replyTools.signaturePersonal');
  if (!signature.template.includes('{{')) return { signature: { label, text: signature.template } };
  const { values } = await ticketPlaceholders(scope(c), tenantOf(c), ticket, { id: user.id, name: user.name }, c.var.t);
  return { signature: { label, text: renderMacro(signature.template, values) } };
}

type Values = Record<string, string>;

/** What a chosen macro filled besides the text: kept as checkboxes the agent can untick; applied only on Send. */
export function MacroFillNotice(props: { c: Context<AppEnv>; view: TicketView; values: Values }) {
  const { c, view, values } = props;
  const t = c.var.t;
  if (!values.macro_name) return null;
  const settings = ticketSettings(tenantOf(c));
  const group = values.macro_group_id ? view.options.groups.find((g) => String(g.id) === values.macro_group_id) : undefined;
  const priority = Number(values.macro_priority);
  return (
    <div class="notice macro-filled" id="macro-filled" role="status">
      <input type="hidden" name="macro_name" value={values.macro_name} />
      <p>{t('replyTools.macroFilled', { name: values.macro_name })}</p>
      {values.macro_status ? <label class="check"><input type="checkbox" name="macro_status" value={values.macro_status} checked /> {t('replyTools.macroStatus', { status: t(`status.${values.macro_status}`) })}</label> : null}
      {priority ? <label class="check"><input type="checkbox" name="macro_priority" value={values.macro_priority} checked /> {t('replyTools.macroPriority', { priority: priorityName(settings, priority, t) })}</label> : null}
      {group ? <label class="check"><input type="checkbox" name="macro_group_id" value={String(group.id)} checked /> {t('replyTools.macroGroup', { group: group.name })}</label> : null}
    </div>
  );
}

/** The signature line, the minutes field and the text module lookup, below the text. */
export function ReplyTools(props: { c: Context<AppEnv>; view: TicketView; values: Values; errors: Values | undefined }) {
  const { c, view, values, errors } = props;
  const t = c.var.t;
  const mode = ticketSettings(tenantOf(c)).timeSpent;
  const timeError = errors?.time_spent;
  const signature = view.signature;
  return (
    <div class="reply-tools">
      <div class="text-module-host" data-text-modules={ticketUrl(c, view.ticket.number, '/text-modules')} data-text-modules-empty={t('replyTools.noModules')}>
        <ul id="text-module-list" class="combo-list text-module-list" role="listbox" aria-label={t('replyTools.modules')} hidden></ul>
        <small class="hint">{t('replyTools.modulesHint')}</small>
      </div>
      {signature ? (
        <div class="signature-line hint-reply" id="composer-signature">
          <details>
            <summary>{t('replyTools.signature', { name: signature.label })}</summary>
            <pre class="signature-preview">{signature.text}</pre>
          </details>
          <label class="check"><input type="checkbox" name="no_signature" value="1" checked={values.no_signature === '1'} /> {t('replyTools.leaveOut')}</label>
        </div>
      ) : null}
      {mode === 'off' ? null : (
        <div class={`field time-spent${timeError ? ' field-invalid' : ''}`}>
          <label for="f-time_spent">{t(mode === 'required' ? 'replyTools.timeSpentRequired' : 'replyTools.timeSpent')}</label>
          <input type="number" id="f-time_spent" name="time_spent" min="0" max="1440" step="1" inputmode="numeric" value={values.time_spent ?? ''}
            required={mode === 'required'} aria-invalid={timeError ? 'true' : undefined} aria-describedby={timeError ? 'time_spent-error' : undefined} />
          {timeError ? <small id="time_spent-error" class="field-error">{timeError}</small> : null}
        </div>
      )}
    </div>
  );
}

/** The ticket's summed minutes for the sidebar (only while the tenant records time spent, or once some was recorded). */
export function TimeSpentFact(props: { c: Context<AppEnv>; ticket: Ticket; oob?: boolean }) {
  const { c, ticket } = props;
  const oob = props.oob ? { 'hx-swap-oob': 'true' } : {};
  if (ticketSettings(tenantOf(c)).timeSpent === 'off' && !ticket.time_spent_minutes) return props.oob ? null : <div id="ticket-time-spent" hidden></div>;
  const minutes = ticket.time_spent_minutes;
  return (
    <p class="card time-spent-total" id="ticket-time-spent" {...oob}>
      <span class="muted">{c.var.t('replyTools.timeSpentTotal')}</span> <strong>{c.var.t('replyTools.minutes', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0'), total: minutes })}</strong>
    </p>
  );
}
