import { z } from 'zod';
import type { Services } from '../../core/plugin-api.js';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The portal's settings per tenant, validated by the host (updatePluginSettings) with this schema. */
export const portalSettingsSchema = z.object({
  welcomeDe: z.string().trim().max(2000).default(''),
  welcomeEn: z.string().trim().max(2000).default(''),
  /** Self-registration: off, or open to addresses of the listed domains (the domain picks the organisation). */
  registration: z.enum(['off', 'domains']).default('off'),
  registrationDomains: z.array(z.string().trim().toLowerCase().regex(DOMAIN, 'portal.settings.domainFormat')).max(50).default([]),
  /** Portal users may choose a priority for a new request. */
  allowPriority: z.boolean().default(false),
  /** Requesters get mails about their requests (which ones: requesterMails). */
  notifyRequester: z.boolean().default(true),
  /**
   * Which: `essential` (the default) a confirmation when staff record a request for them, every public answer and
   * the solution; `everyStatus` also each other status change (accepted, waiting, closed, reopened).
   */
  requesterMails: z.enum(['essential', 'everyStatus']).default('essential'),
}).refine((s) => s.registration === 'off' || s.registrationDomains.length > 0, { path: ['registrationDomains'], message: 'portal.settings.domainsRequired' });

export type PortalSettings = z.infer<typeof portalSettingsSchema>;

/** The tenant's portal settings; stored settings that no longer parse fall back to the defaults. */
export async function portalSettings(services: Pick<Services, 'tenants'>, tenantId: number): Promise<PortalSettings> {
  const parsed = portalSettingsSchema.safeParse(await services.tenants.pluginSettings(tenantId, 'portal'));
  return parsed.success ? parsed.data : portalSettingsSchema.parse({});
}

/** The domain of an address, lower case. */
export function emailDomain(email: string): string {
  return email.trim().toLowerCase().split('@')[1] ?? '';
}

export function registrationAllowed(settings: PortalSettings, email: string): boolean {
  return settings.registration === 'domains' && settings.registrationDomains.includes(emailDomain(email));
}
