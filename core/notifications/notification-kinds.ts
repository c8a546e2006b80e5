import type { Label } from '../i18n/label.js';
import type { NotificationKind } from '../db/schema.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { mergeLabelledCodes, type LabelledCodes } from '../plugin-host/labelled-codes.js';

/** The kinds of notification the core sends (the ticket service), with their labels; plugins declare theirs in `definePlugin({ notificationKinds })`. */
export const coreNotificationKinds: Readonly<Record<NotificationKind, Label>> = {
  assigned: { en: 'Assigned', de: 'Zugewiesen' },
  forwarded: { en: 'Forwarded', de: 'Weitergeleitet' },
  customer_reply: { en: 'Requester reply', de: 'Antwort des Anfragenden' },
  mention: { en: 'Mention', de: 'Erwähnung' },
  waiting_due: { en: 'Waiting until reached', de: 'Wiedervorlage fällig' },
  todo_due: { en: 'To-do due', de: 'Aufgabe fällig' },
};

/** The core's notification kinds and those of the installed plugins (start fails on a clash). */
export function notificationKindRegistry(registry: PluginRegistry): LabelledCodes {
  return mergeLabelledCodes('notification kind', coreNotificationKinds, registry, (plugin) => plugin.notificationKinds);
}

/** The core's kinds that pop up as sticky toasts: a forwarding to me or my group, and my to-do falling due. */
export const coreStickyNotificationKinds: readonly NotificationKind[] = ['forwarded', 'todo_due'];

/**
 * The kinds that pop up as sticky toasts: the core's and those the installed plugins mark (`stickyNotificationKinds`;
 * only kinds the plugin declares itself count).
 */
export function stickyNotificationKinds(registry: PluginRegistry): ReadonlySet<string> {
  const kinds = new Set<string>(coreStickyNotificationKinds);
  for (const plugin of registry.plugins) {
    for (const kind of plugin.stickyNotificationKinds ?? []) if (plugin.notificationKinds && kind in plugin.notificationKinds) kinds.add(kind);
  }
  return kinds;
}
