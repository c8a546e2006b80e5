import type { Context } from 'hono';
import type { Ticket } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import type { StaleChange } from '../../tickets/ticket-stale-fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { oobAttr } from './ticket-page-parts.js';

// The ticket's version in every form that changes it, and what a refused save or a live event shows of a colleague's changes.

/** The version the form shows; a save refuses what someone changed after it (ticket-stale-fields.ts). */
export function VersionInput(props: { ticket: Pick<Ticket, 'version'>; base?: number | undefined }) {
  return <input type="hidden" name="version" value={String(props.base ?? props.ticket.version)} />;
}

/** The version a form sent: undefined when it sent none (an old page, the API without one), so nothing is checked. */
export function versionOf(values: Record<string, string>): number | undefined {
  const raw = values.version?.trim();
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** What colleagues changed since the form's version: field, old → new, who, when (a refused save shows it above the form). */
export function StaleChanges(props: { c: Context<AppEnv>; changes: readonly StaleChange[] | undefined; id: string }) {
  const t = props.c.var.t;
  // Your own changes (another tab, an earlier save) are no news, unless this save would overwrite them.
  const me = props.c.var.user?.id;
  const changes = (props.changes ?? []).filter((change) => change.conflict || change.whoUserId !== me);
  if (!changes.length) return null;
  return (
    <div class="stale-changes" id={props.id} role="status">
      <p class="stale-changes-title">{t('ticket.version.changesTitle')}</p>
      <ul class="plain-list">
        {changes.map((change) => (
          <li class={change.conflict ? 'stale-change stale-conflict' : 'stale-change'} data-field={change.field}>
            <strong>{change.label}:</strong> <del>{change.old}</del> → <ins>{change.new}</ins>
            <span class="muted"> · {t('ticket.version.changeBy', { who: change.who, at: formatDateTime(change.atIso, props.c.var.dates) })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The marks on a sidebar someone is editing when colleagues change the ticket: one line per field
 * ("changed by Sven: open → waiting"); static/ticket-live.js also puts each at its field. Always in the
 * form (empty when nothing changed) so a live response can replace it out-of-band.
 */
export function FieldMarks(props: { c: Context<AppEnv>; changes: readonly StaleChange[]; oob?: boolean }) {
  const t = props.c.var.t;
  const latest = new Map<string, StaleChange>();
  for (const change of props.changes) {
    const before = latest.get(change.field);
    latest.set(change.field, before ? { ...change, old: before.old } : change);
  }
  return (
    <div id="ticket-fields-marks" class={latest.size ? 'field-marks' : undefined} aria-live="polite" {...oobAttr(props.oob)}>
      {latest.size ? <p class="field-marks-title">{t('ticket.version.marksTitle')}</p> : null}
      {[...latest.values()].map((change) => (
        <p class="field-mark" data-mark-for={change.field}>
          <strong>{change.label}</strong> · <span class="field-mark-text">{t('ticket.version.mark', { who: change.who, old: change.old, new: change.new })}</span>
        </p>
      ))}
    </div>
  );
}
