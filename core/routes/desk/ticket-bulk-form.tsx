import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, scope, tenantOf } from '../../http/guards.js';
import { allowedBulkActions, type BulkActionKind, type BulkOutcome } from '../../tickets/ticket-bulk.js';
import { activeCategoryNames, ticketFilterChoices } from '../../tickets/ticket-list-queries.js';
import { priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import { SelectField, TextField } from '../../../views/components/form.js';

// The ticket lists' bulk actions: a checkbox per row (`form="bulk-form"`, so the rows can refresh live while
// the form stays), "select all on this page" in the header, and the form with only the actions this agent's
// role allows. static/app.js keeps the ticks across live refreshes and ticks the page; without it, tick each row.

export const BULK_IDS = { form: 'bulk-form', summary: 'bulk-summary', all: 'bulk-all' } as const;

interface Choice { value: string; label: string }

/** What the bulk form offers this agent: the allowed actions and their choices. */
export interface BulkChoices {
  actions: BulkActionKind[];
  users: Choice[];
  groups: Choice[];
  categories: Choice[];
  priorities: Choice[];
}

/** The bulk form's choices, or undefined when the agent may change nothing. */
export async function loadBulkChoices(c: Context<AppEnv>): Promise<BulkChoices | undefined> {
  const settings = ticketSettings(tenantOf(c));
  const actions = allowedBulkActions(c.var.can, settings.closeRequiresSupervisor);
  if (actions.length === 0) return undefined;
  const tenantScope = scope(c);
  const [{ users, groups }, categories] = await Promise.all([
    ticketFilterChoices(tenantScope),
    activeCategoryNames(tenantScope),
  ]);
  return {
    actions,
    users: users.map((u) => ({ value: String(u.id), label: u.name })),
    groups: groups.map((g) => ({ value: String(g.id), label: g.name })),
    categories: categories.map((name) => ({ value: name, label: name })),
    priorities: priorityOptions(settings, c.var.t).map((p) => ({ value: String(p.value), label: p.label })),
  };
}

/** The row's checkbox. */
export function BulkCheck(props: { c: Context<AppEnv>; number: string }) {
  return (
    <td class="col-select">
      <input type="checkbox" name="ticket" value={props.number} form={BULK_IDS.form} class="bulk-check" data-bulk-check
        aria-label={props.c.var.t('bulk.select', { number: props.number })} />
    </td>
  );
}

/** The header's "select all on this page". */
export function BulkCheckAll(props: { c: Context<AppEnv> }) {
  const label = props.c.var.t('bulk.selectPage');
  return <th scope="col" class="col-select"><input type="checkbox" id={BULK_IDS.all} data-bulk-all aria-label={label} title={label} /></th>;
}

/** The form: the action and its value; the server checks every right again. */
export function BulkForm(props: { c: Context<AppEnv>; choices: BulkChoices; outcome?: BulkOutcome | undefined }) {
  const { c, choices } = props;
  const t = c.var.t;
  const offers = new Set(choices.actions);
  const statuses = (['open', 'waiting', 'solved'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }));
  return (
    <details class="card bulk-actions" id="bulk-actions" open={props.outcome ? true : undefined}>
      <summary>{t('bulk.title')} <span class="queue-count" data-bulk-count hidden>0</span></summary>
      <p class="muted">{t('bulk.hint')}</p>
      <form id={BULK_IDS.form} method="post" action={href(c, '/desk/tickets/bulk')} class="bulk-form"
        hx-post={href(c, '/desk/tickets/bulk')} hx-target={`#${BULK_IDS.summary}`} hx-swap="outerHTML">
        <SelectField name="bulk_action" label={t('bulk.action')} value="" required
          options={choices.actions.map((kind) => ({ value: kind, label: t(`bulk.action.${kind}`) }))} errors={undefined} />
        {offers.has('assign') ? <SelectField name="to_assignee" label={t('bulk.action.assign')} value="" empty="—"
          options={[{ value: 'me', label: t('bulk.assignMe') }, { value: 'none', label: t('bulk.assignNobody') }, ...choices.users]} errors={undefined} /> : null}
        {offers.has('forward') ? <SelectField name="to_group" label={t('bulk.action.forward')} value="" empty="—" options={choices.groups} errors={undefined} /> : null}
        {offers.has('status') ? <SelectField name="to_status" label={t('bulk.action.status')} value="" empty="—" options={statuses} errors={undefined} /> : null}
        {offers.has('priority') ? <SelectField name="to_priority" label={t('bulk.action.priority')} value="" empty="—" options={choices.priorities} errors={undefined} /> : null}
        {offers.has('category') ? <SelectField name="to_category" label={t('bulk.action.category')} value="" empty="—"
          options={[{ value: 'none', label: t('bulk.noCategory') }, ...choices.categories]} errors={undefined} /> : null}
        {offers.has('merge') ? <TextField name="to_ticket" label={t('bulk.into')} value="" maxlength={40} errors={undefined} /> : null}
        <button type="submit" class="button-primary" id="bulk-apply">{t('bulk.apply')}</button>
      </form>
      <BulkSummary c={c} outcome={props.outcome} />
    </details>
  );
}

/** "998 changed, 2 refused" with each refusal and its reason, in the reader's language. */
export function BulkSummary(props: { c: Context<AppEnv>; outcome?: BulkOutcome | undefined; error?: string | undefined }) {
  const t = props.c.var.t;
  const { outcome } = props;
  return (
    <div id={BULK_IDS.summary} class="bulk-summary" role="status" aria-live="polite">
      {props.error ? <p class="form-error" id="bulk-error">{props.error}</p> : null}
      {outcome ? (
        <>
          <p id="bulk-result" class={outcome.refused.length ? 'warning' : 'success'}>
            {t('bulk.summary', { changed: outcome.changed.length, unchanged: outcome.unchanged.length, refused: outcome.refused.length })}
          </p>
          {outcome.refused.length ? (
            <details open={outcome.refused.length <= 10 ? true : undefined}>
              <summary>{t('bulk.refusedTitle')}</summary>
              <ul class="plain-list" id="bulk-refused">
                {outcome.refused.map((r) => <li>{t('bulk.refusedLine', { number: r.number, reason: r.reason })}</li>)}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
