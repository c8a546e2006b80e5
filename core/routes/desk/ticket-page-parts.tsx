import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { href } from '../../http/guards.js';
import { formatDateTime } from '../../i18n/format.js';
import type { ArticleRow, TicketView } from '../../tickets/ticket-page-queries.js';
import type { ComposerExtras } from './composer-extras.js';
import type { StaleChange } from '../../tickets/ticket-stale-fields.js';

// What the ticket page's parts share: their props, the page state after a refused form, and small view helpers.

/** A refused form's values and messages, shown again. */
export interface FormState {
  values?: Record<string, string> | undefined; errors?: Record<string, string> | undefined; changes?: readonly StaleChange[] | undefined;
  /** The version the page was loaded at, kept through a re-render that saves nothing (a macro filling the reply form). */
  baseVersion?: number | undefined;
}
/** `actions`: a refused status move or accept (the header's buttons). `marks`: colleagues' changes since the sidebar's version (live, while it is being edited). */
export interface PageState { composer?: FormState; fields?: FormState; forward?: FormState; merge?: FormState; waiting?: FormState; links?: FormState; tags?: FormState; actions?: FormState; owner?: FormState; marks?: readonly StaleChange[] }
/** Which part an htmx request swaps; the others it changes follow out-of-band. */
export type TicketPart = 'page' | 'header' | 'composer' | 'fields' | 'form' | 'live' | 'followup';

/** What the tenant's plugins render into the page's slots (`ticket.main`, `ticket.side`), read before rendering. */
export interface SlotViews { main: Child[]; side: Child[]; badges: Child[] }
/** A plugin's rendering of an article body (extension point ticket.articleView), or undefined for the plain text. */
export type ArticleView = (article: ArticleRow) => Child | undefined;
export interface ViewProps { c: Context<AppEnv>; view: TicketView; state: PageState; slots: SlotViews; articleView?: ArticleView | undefined; oob?: boolean | undefined; composer?: ComposerExtras | undefined }

export const oobAttr = (oob: boolean | undefined) => (oob ? { 'hx-swap-oob': 'true' } : {});
export const ticketUrl = (c: Context<AppEnv>, number: string, rest = '') => href(c, `/desk/tickets/${number}${rest}`);
export const htmxPost = (url: string, target: string) => ({ method: 'post' as const, action: url, 'hx-post': url, 'hx-target': target, 'hx-swap': 'outerHTML' });

export function Time(props: { iso: string; c: Context<AppEnv> }) {
  return <time datetime={props.iso}>{formatDateTime(props.iso, props.c.var.dates)}</time>;
}

export function Select(props: { name: string; label: string; value: string | number | null | undefined; options: Array<{ value: string | number; label: string }>; empty?: string | undefined; errors?: Record<string, string> | undefined; attrs?: Record<string, string> | undefined }) {
  const error = props.errors?.[props.name];
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${props.name}-error` : undefined} {...(props.attrs ?? {})}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => <option value={String(o.value)} selected={String(o.value) === String(props.value ?? '')}>{o.label}</option>)}
      </select>
      {error ? <small id={`${props.name}-error`} class="field-error">{error}</small> : null}
    </div>
  );
}
