import { z } from 'zod';
import type { Tenant } from '../db/schema.js';
import type { Translate } from '../i18n/translate.js';

export const PRIORITIES = [1, 2, 3, 4] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Ticket rules a tenant admin may change; stored under `tickets` in tenants.settings. */
export const ticketSettingsSchema = z.object({
  /** Closing is reserved to holders of tickets.close (supervisors, admins). */
  closeRequiresSupervisor: z.boolean().default(true),
  /** Own names for the four priorities, lowest first; empty means the translated defaults. */
  priorityNames: z.array(z.string().trim().max(40)).length(4).default(['', '', '', '']),
  /** Replies may tell the customer by mail (used by the mail channel and the portal). */
  notifyRequester: z.boolean().default(true),
  /** Minutes spent per reply or note: not asked, asked, or required (summed on the ticket). */
  timeSpent: z.enum(['off', 'optional', 'required']).default('off'),
});
export type TicketSettings = z.infer<typeof ticketSettingsSchema>;

export function ticketSettings(tenant: Pick<Tenant, 'settings'>): TicketSettings {
  let raw: unknown = {};
  try {
    raw = (JSON.parse(tenant.settings) as { tickets?: unknown }).tickets ?? {};
  } catch {
    raw = {};
  }
  const parsed = ticketSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : ticketSettingsSchema.parse({});
}

export function priorityName(settings: TicketSettings, priority: number, t: Translate): string {
  const own = settings.priorityNames[priority - 1];
  return own ? own : t(`priority.${priority}`);
}

export function priorityOptions(settings: TicketSettings, t: Translate): Array<{ value: number; label: string }> {
  return PRIORITIES.map((p) => ({ value: p, label: priorityName(settings, p, t) }));
}
