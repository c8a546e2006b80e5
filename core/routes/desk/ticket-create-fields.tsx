import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { toHttpError } from '../../http/http-error.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { TICKET_CREATE_FIELDS, type TicketCreateFieldsProps } from '../../plugin-host/slots.js';

/**
 * Plugins' inputs on the ticket create forms (slot TICKET_CREATE_FIELDS): the desk's new ticket and the
 * portal's new request render them, collect what they send (`p.<plugin>.<field>`) into `pluginFields`, and
 * show a refusal of the create transaction at the fields.
 */

/** The id of the block a form swaps when its surface changes (the desk's channel). */
export const CREATE_FIELDS_ID = 'ticket-plugin-fields';

const PLUGIN_FIELD = /^p\.[a-z][a-z0-9-]*\.[A-Za-z0-9_.-]{1,60}$/;

const shown = (view: Child) => view !== null && view !== undefined && view !== false && view !== '';

/**
 * The enabled plugins' inputs in a block of their own, or null when no enabled plugin fills the slot (the
 * form stays as it was). The block is there, hidden, when plugins fill it but none shows anything on this surface.
 */
export async function pluginCreateFields(c: Context<AppEnv>, props: TicketCreateFieldsProps): Promise<Child> {
  const { hooks } = c.var.services;
  if (!(await hooks.fills(TICKET_CREATE_FIELDS, c.var.tenant!.id, c.var.enabledPlugins))) return null;
  const views = (await hooks.slot(TICKET_CREATE_FIELDS, slotContext(c, props))).filter(shown);
  return <div id={CREATE_FIELDS_ID} class="plugin-fields stack" data-surface={props.surface} hidden={views.length === 0}>{views}</div>;
}

/** What the plugins' inputs sent (`p.<plugin>.<field>`, empty ones too: the plugin tells "left empty" from "not on the form"). */
export function pluginFieldsFromForm(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => PLUGIN_FIELD.test(key)));
}

/**
 * A refused create as its form shows it: the sentence and one message per field, each read through the
 * catalog (a plugin's filter may refuse with its own message keys, since it does not know the reader's
 * language), or undefined when the error is no refusal of the input (it propagates).
 */
export function formRefusal(c: Context<AppEnv>, error: unknown): { message: string; fields: Record<string, string> } | undefined {
  const refusal = toHttpError(error);
  if (refusal?.status !== 422) return undefined;
  const t = c.var.t;
  return { message: t(refusal.message), fields: Object.fromEntries(Object.entries(refusal.fields).map(([name, message]) => [name, t(message)])) };
}
