import { tenantOf } from '../../http/guards.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { customFieldName } from '../../tickets/custom-fields.js';
import { priorityName, ticketSettings, type TicketSettings } from '../../tickets/ticket-settings.js';
import { isReferenceField, referenceName, type ArticleRow, type AttachmentRow, type HistoryRow, type TicketView } from '../../tickets/ticket-page-queries.js';
import { oobAttr, ticketUrl, Time, type ViewProps } from './ticket-page-parts.js';
import { ArticleBody, ArticleCopies } from './article-body.js';

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function AttachmentList(props: { c: Context<AppEnv>; number: string; attachments: AttachmentRow[] }) {
  if (!props.attachments.length) return null;
  const t = props.c.var.t;
  return (
    <ul class="attachment-list">
      {props.attachments.map((a) => (
        <li>
          <a href={ticketUrl(props.c, props.number, `/attachments/${a.id}`)} download={a.filename} aria-label={t('ticketPage.download', { name: a.filename })}>📎 {a.filename}</a>
          <span class="muted"> ({formatBytes(a.size)})</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A history entry a plugin wrote (recordTicketHistory): its catalog words it through the keys
 * `<action>.history` ({field}, {note}), `<action>.history.<field>` and `<action>.history.<field>.<value>`;
 * without them the raw action, field and values show.
 */
function PluginHistoryLine(props: { c: Context<AppEnv>; entry: HistoryRow }) {
  const { c, entry } = props;
  const t = c.var.t;
  const word = (key: string, fallback: string, params?: Record<string, string>) => (c.var.services.catalog.has(key) ? t(key, params) : fallback);
  const base = `${entry.action}.history`;
  const fieldLabel = entry.field ? word(`${base}.${entry.field}`, entry.field) : '';
  const valueText = (value: string | null) => (value === null || value === '' ? t('ticketPage.empty') : word(`${base}.${entry.field}.${value}`, value));
  const worded = c.var.services.catalog.has(base);
  const what = worded ? t(base, { field: fieldLabel, note: entry.note ?? '' }) : t('ticketPage.history.other', { action: entry.action });
  const showChange = entry.field && (entry.old_value !== null || entry.new_value !== null);
  return (
    <li class="entry entry-history entry-plugin" id={`history-${entry.id}`}>
      <span class="entry-who">{entry.actor_label}</span> {what}
      {showChange ? (
        <span class="entry-change">
          <span class="muted"> {fieldLabel}:</span>
          {' '}{entry.old_value !== null ? <><del>{valueText(entry.old_value)}</del> → </> : null}<ins>{valueText(entry.new_value)}</ins>
        </span>
      ) : null}
      {' '}<span class="muted">· <Time iso={entry.created_at} c={c} /></span>
      {entry.note && !worded ? <div class="entry-note">{entry.note}</div> : null}
    </li>
  );
}

type TimelineItem = { at: string; order: number; id: number } & ({ type: 'article'; article: ArticleRow } | { type: 'history'; entry: HistoryRow });

/** One history entry as a sentence: who did what, old → new with readable names. */
function HistoryLine(props: { c: Context<AppEnv>; view: TicketView; entry: HistoryRow; settings: TicketSettings }) {
  const { c, view, entry, settings } = props;
  const t = c.var.t;
  const field = entry.field;
  const definition = field?.startsWith('custom_fields.') ? view.fields.find((f) => customFieldName(f.key) === field) : undefined;
  const fieldLabel = (): string => {
    if (!field) return '';
    if (definition) return definition.label;
    if (field.startsWith('custom_fields.')) return field.slice('custom_fields.'.length);
    const labels: Record<string, string> = {
      status: 'ticketPage.status', priority: 'ticketPage.priority', assignee_id: 'ticketPage.assignee', group_id: 'ticketPage.group',
      organisation_id: 'ticketPage.organisation', requester_id: 'ticketPage.requester', contract_id: 'ticketPage.contract',
      category: 'ticketPage.category', subject: 'ticketPage.field.subject',
    };
    return labels[field] ? t(labels[field]) : field;
  };
  const valueText = (value: string | null): string => {
    if (value === null || value === '') return t('ticketPage.empty');
    if (field === 'status') return t(`status.${value}`);
    if (field === 'priority') return priorityName(settings, Number(value), t);
    if (isReferenceField(field)) return referenceName(view.names, field!, value) ?? t('ticketPage.unknownName', { id: value });
    if (definition?.type === 'checkbox') return value === 'true' ? t('common.yes') : t('common.no');
    return value;
  };
  const known = ['created', 'assigned', 'status', 'reopened', 'changed', 'forwarded', 'deleted', 'restored'];
  if (!known.includes(entry.action)) return <PluginHistoryLine c={c} entry={entry} />;
  const what = known.includes(entry.action) ? t(`ticketPage.history.${entry.action}`, { field: fieldLabel() }) : t('ticketPage.history.other', { action: entry.action });
  const showChange = field && entry.action !== 'created' && (entry.old_value !== null || entry.new_value !== null);
  return (
    <li class="entry entry-history" id={`history-${entry.id}`}>
      <span class="entry-who">{entry.actor_label}</span> {what}
      {showChange ? (
        <span class="entry-change">
          {entry.action !== 'changed' ? <span class="muted"> {fieldLabel()}:</span> : null}
          {' '}<del>{valueText(entry.old_value)}</del> → <ins>{valueText(entry.new_value)}</ins>
        </span>
      ) : null}
      {' '}<span class="muted">· <Time iso={entry.created_at} c={c} /></span>
      {entry.note ? <div class="entry-note">{entry.note}</div> : null}
    </li>
  );
}

/** The description, articles and history of the ticket in time order. */
export function Timeline({ c, view, articleView, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const settings = ticketSettings(tenantOf(c));
  // The article itself stands in the timeline; its history line would only repeat it, as would "created" the description.
  const items: TimelineItem[] = [
    ...view.articles.map((article) => ({ type: 'article' as const, at: article.created_at, order: 0, id: article.id, article })),
    ...view.history.filter((h) => !['reply', 'note', 'customer', 'created'].includes(h.action))
      .map((entry) => ({ type: 'history' as const, at: entry.created_at, order: 1, id: entry.id, entry })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order || a.id - b.id));
  const creator = view.history.find((h) => h.action === 'created')?.actor_label;
  const requester = ticket.requester_id ? view.names.people.get(ticket.requester_id)?.name : undefined;
  const attachmentsOf = (articleId: number | null) => view.attachments.filter((a) => a.article_id === articleId);
  return (
    <section id="ticket-timeline" class="card timeline" aria-labelledby="timeline-title" {...oobAttr(oob)}>
      <h2 id="timeline-title">{t('ticketPage.timeline')}</h2>
      <ol class="timeline-list">
        <li class="entry entry-article entry-description" id="description">
          <div class="entry-head">
            <strong>{t('ticketPage.description')}</strong>
            <span class="muted">{requester ?? creator ?? ''} · <Time iso={ticket.created_at} c={c} /></span>
          </div>
          <div class="entry-body">{ticket.description}</div>
          <AttachmentList c={c} number={ticket.number} attachments={attachmentsOf(null)} />
        </li>
        {items.map((item) => item.type === 'article' ? (
          <li class={`entry entry-article entry-${item.article.kind}`} id={`article-${item.article.id}`}>
            <div class="entry-head">
              <strong>{item.article.author_label}</strong>
              <span class={`badge kind-badge kind-${item.article.kind}`}>{t(`ticketPage.kind.${item.article.kind}`)}</span>
              <span class="muted"><Time iso={item.article.created_at} c={c} /> · {t(`channel.${item.article.channel}`)}</span>
            </div>
            <ArticleCopies c={c} article={item.article} />
            {articleView?.(item.article) ?? <ArticleBody article={item.article} />}
            <AttachmentList c={c} number={ticket.number} attachments={attachmentsOf(item.article.id)} />
          </li>
        ) : <HistoryLine c={c} view={view} entry={item.entry} settings={settings} />)}
      </ol>
    </section>
  );
}
