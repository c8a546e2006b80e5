import { z } from 'zod';
import type { TenantScope } from '../../core/plugin-api.js';

export const RULES_MAX = 50;

/** A host pattern (`*` any characters, `?` one, no case) and what its tickets get. */
export const hostRuleSchema = z.object({
  pattern: z.string().trim().min(1).max(255),
  groupId: z.number().int().positive().nullable().default(null),
  priority: z.number().int().min(1).max(4).nullable().default(null),
  organisationId: z.number().int().positive().nullable().default(null),
});
export type HostRule = z.infer<typeof hostRuleSchema>;

/** The connect plugin's settings per tenant, validated by the host on save, read with defaults. */
export const connectSettingsSchema = z.object({
  /** WARNING (and UNKNOWN) open tickets too; by default only CRITICAL/DOWN/UNREACHABLE do. */
  openOnWarning: z.boolean().default(false),
  /** A recovery solves the ticket (else it only adds a note). */
  solveOnRecovery: z.boolean().default(false),
  /** Flapping: more than this many state changes of one host+service … */
  flapChanges: z.number().int().min(2).max(100).default(5),
  /** … within this many minutes: noted on the ticket, never solved nor opened anew. */
  flapMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /** Events each monitoring source (its token) may post a minute; more are refused with 429 (a storm of a broken check). */
  eventsPerMinute: z.number().int().min(10).max(100_000).default(30_000),
  /** The first rule whose pattern matches the host decides group, priority and organisation. */
  rules: z.array(hostRuleSchema).max(RULES_MAX).default([]),
});
export type ConnectSettings = z.infer<typeof connectSettingsSchema>;

export function connectSettings(raw: Record<string, unknown>): ConnectSettings {
  const parsed = connectSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : connectSettingsSchema.parse({});
}

export async function readSettings(scope: TenantScope): Promise<ConnectSettings> {
  const row = await scope.selectFrom('tenant_plugins').select('settings').where('plugin_id', '=', 'connect').executeTakeFirst();
  return connectSettings(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>);
}

/** `web-*` matches `web-01`; case does not count. */
export function hostMatches(pattern: string, host: string): boolean {
  const source = pattern.toLowerCase().split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(host.toLowerCase());
}

export function ruleFor(rules: readonly HostRule[], host: string): HostRule | undefined {
  return rules.find((rule) => hostMatches(rule.pattern, host));
}
