import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { isPhoneCountry } from '../text/phone-number.js';
import { DIRECTORY_FIELDS, parseFields, type DirectoryField } from './directory-fields.js';

/** The country of national phone numbers where a tenant has not chosen one. */
export const DEFAULT_PHONE_COUNTRY = 'DE';

export interface DirectorySettings {
  /** ISO 3166-1 alpha-2: typed national numbers belong to this country's plan. */
  phoneCountry: string;
  /** Portal users see the directory (in the portal's navigation) when true. */
  portalVisible: boolean;
  /** What portal users see besides the name. */
  portalFields: DirectoryField[];
  /** Portal users may ask a listed staff member to call back (opens a ticket). */
  portalCallback: boolean;
}

export const directorySettingsSchema = z.object({
  phone_country: z.string().trim().toUpperCase().refine(isPhoneCountry, 'directory.settings.countryInvalid'),
  portal_visible: z.literal('1').optional(),
  portal_fields: z.array(z.enum(DIRECTORY_FIELDS)).max(DIRECTORY_FIELDS.length).default([]),
  portal_callback: z.literal('1').optional(),
});

const DEFAULTS: DirectorySettings = { phoneCountry: DEFAULT_PHONE_COUNTRY, portalVisible: false, portalFields: [], portalCallback: false };

/** A tenant's directory settings (defaults until an admin saves them). */
export async function directorySettings(db: Kysely<DB>, tenantId: number): Promise<DirectorySettings> {
  const row = await tenantScope(db, tenantId).selectFrom('directory_settings').selectAll().executeTakeFirst();
  if (!row) return { ...DEFAULTS };
  return {
    phoneCountry: isPhoneCountry(row.phone_country) ? row.phone_country : DEFAULT_PHONE_COUNTRY,
    portalVisible: Boolean(row.portal_visible), portalFields: parseFields(row.portal_fields), portalCallback: Boolean(row.portal_callback),
  };
}

/** The country in whose plan a tenant's national numbers are read (the directory's setting); for connect's caller lookup too. */
export async function tenantPhoneCountry(db: Kysely<DB>, tenantId: number): Promise<string> {
  return (await directorySettings(db, tenantId)).phoneCountry;
}

export async function saveDirectorySettings(db: Kysely<DB>, tenantId: number, settings: DirectorySettings, now: Date): Promise<void> {
  const values = {
    phone_country: settings.phoneCountry, portal_visible: settings.portalVisible ? 1 : 0,
    portal_fields: settings.portalFields.join(','), portal_callback: settings.portalCallback ? 1 : 0, updated_at: now.toISOString(),
  };
  await tenantScope(db, tenantId).insertInto('directory_settings', values)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values)).execute();
}
