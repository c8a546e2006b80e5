import type { Translate } from '../i18n/translate.js';

/** A parameter of a notification's message: a plain value, or a message key rendered in the reader's language too (e.g. a status name). */
export type NotificationParam = string | number | { readonly key: string };

/**
 * What a notification says, kept as a message key and its parameters so that it is rendered when it is read,
 * in the reader's current language, not frozen in the language of whoever caused it.
 */
export interface NotificationMessage {
  readonly key: string;
  readonly params?: Readonly<Record<string, NotificationParam>>;
}

const MAX_JSON = 2000;

/** The column's value: JSON, or null when there is nothing to keep (or it would not fit). */
export function encodeNotificationMessage(message: NotificationMessage | undefined): string | null {
  if (!message) return null;
  const json = JSON.stringify({ key: message.key, params: message.params ?? {} });
  return json.length <= MAX_JSON ? json : null;
}

function decode(json: string): NotificationMessage | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object') return undefined;
    const { key, params } = value as { key?: unknown; params?: unknown };
    if (typeof key !== 'string' || !key) return undefined;
    if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) return undefined;
    return { key, params: (params ?? {}) as Record<string, NotificationParam> };
  } catch {
    return undefined;
  }
}

/** The message in the reader's language; undefined when its key is unknown (e.g. the plugin that wrote it is gone). */
export function renderNotificationMessage(message: NotificationMessage, t: Translate, known: (key: string) => boolean): string | undefined {
  if (!known(message.key)) return undefined;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    if (typeof value === 'object' && value !== null) params[name] = typeof value.key === 'string' && known(value.key) ? t(value.key) : '';
    else if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  return t(message.key, params);
}

/**
 * A stored notification's line for its reader: its message rendered in the reader's language, else (rows from
 * before the message was kept, or a key no longer known) the line it was written with.
 */
export function notificationText(row: { summary: string; message: string | null }, t: Translate, known: (key: string) => boolean): string {
  const message = row.message ? decode(row.message) : undefined;
  const rendered = message ? renderNotificationMessage(message, t, known) : undefined;
  return rendered === undefined ? row.summary : rendered.slice(0, 300);
}
