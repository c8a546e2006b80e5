import { z } from 'zod';

/** The helpdesk plugin's per-tenant settings (edited by the operator's generic settings form). */
export const helpdeskSettingsSchema = z.object({
  /** A mail larger than this is kept raw as an open helpdesk mail, never parsed. */
  maxMailMegabytes: z.number().int().min(1).max(100).default(25),
  /** How the ticket number appears in subjects, both ways; must contain {number}. */
  subjectTag: z.string().trim().min(1).max(40).refine((value) => value.includes('{number}'), 'must contain {number}').default('[#{number}]'),
  /** Also mail agents' replies on tickets that did not come in by mail (web, phone…). */
  replyByMailForAllChannels: z.boolean().default(false),
  /** Confirmations (automatic mails) to one address per hour. */
  autoRepliesPerSenderPerHour: z.number().int().min(0).max(100).default(3),
  /** Mails accepted into one ticket per hour before the rest wait as open helpdesk mails. */
  mailsPerTicketPerHour: z.number().int().min(1).max(1000).default(30),
});
export type HelpdeskSettings = z.infer<typeof helpdeskSettingsSchema>;

/** The tenant's settings with defaults; a stored value that no longer fits falls back to its default. */
export function helpdeskSettings(raw: Record<string, unknown>): HelpdeskSettings {
  const parsed = helpdeskSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const defaults = helpdeskSettingsSchema.parse({});
  const kept = Object.fromEntries(Object.entries(raw).filter(([key, value]) => helpdeskSettingsSchema.shape[key as keyof HelpdeskSettings]?.safeParse(value).success));
  return { ...defaults, ...helpdeskSettingsSchema.partial().parse(kept) } as HelpdeskSettings;
}
