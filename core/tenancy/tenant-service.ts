import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, Tenant } from '../db/schema.js';
import { bumpConfigRevision } from './tenant-directory.js';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '../i18n/time-zone.js';

export const slugSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'tenant.slugFormat');
const RESERVED_SLUGS = new Set(['static', 'api', 'platform', 'admin', 'login', 'healthz', 'readyz', 'p', 't']);

/** An IANA zone name, stored as the runtime spells it; 'timeZone.unknown' for anything else. */
export const timeZoneSchema = z.string().trim().transform((name, ctx) => {
  const zone = canonicalTimeZone(name);
  if (!zone) {
    ctx.addIssue({ code: 'custom', message: 'timeZone.unknown' });
    return z.NEVER;
  }
  return zone;
});

export const newTenantSchema = z.object({
  slug: slugSchema.refine((s) => !RESERVED_SLUGS.has(s), 'tenant.slugReserved'),
  name: z.string().trim().min(1).max(120),
  locale: z.enum(['de', 'en']).default('de'),
  time_zone: z.string().optional().transform((v) => v?.trim() || DEFAULT_TIME_ZONE).pipe(timeZoneSchema),
});

export const hostNameSchema = z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, 'tenant.hostFormat');

export class TenantConflictError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export async function createTenant(db: Kysely<DB>, input: z.input<typeof newTenantSchema>): Promise<Tenant> {
  const data = newTenantSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('tenants').select('id').where('slug', '=', data.slug).executeTakeFirst();
    if (existing) throw new TenantConflictError('slug', `a tenant with slug "${data.slug}" exists already`);
    const tenant = await trx.insertInto('tenants').values({ slug: data.slug, name: data.name, locale: data.locale, time_zone: data.time_zone }).returningAll().executeTakeFirstOrThrow();
    await bumpConfigRevision(trx);
    return tenant;
  });
}

/** Replaces the tenant's mapped host names; a name another tenant uses is refused. */
export async function setTenantHosts(db: Kysely<DB>, tenantId: number, hosts: string[]): Promise<void> {
  const names = [...new Set(hosts.map((h) => hostNameSchema.parse(h)))];
  await db.transaction().execute(async (trx) => {
    if (names.length) {
      const taken = await trx.selectFrom('tenant_hosts').select('host').where('host', 'in', names).where('tenant_id', '!=', tenantId).executeTakeFirst();
      if (taken) throw new TenantConflictError('hosts', `host name "${taken.host}" belongs to another tenant`);
    }
    await trx.deleteFrom('tenant_hosts').where('tenant_id', '=', tenantId).execute();
    if (names.length) await trx.insertInto('tenant_hosts').values(names.map((host) => ({ host, tenant_id: tenantId }))).execute();
    await bumpConfigRevision(trx);
  });
}

export interface BrandingUpdate {
  name?: string;
  locale?: 'de' | 'en';
  primary_color?: string;
  accent_color?: string;
  logo_file?: string | null;
  mail_from_name?: string | null;
  mail_from_address?: string | null;
  time_zone?: string;
}

export async function updateTenantBranding(db: Kysely<DB>, tenantId: number, update: BrandingUpdate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('tenants').set(update).where('id', '=', tenantId).execute();
    await bumpConfigRevision(trx);
  });
}
