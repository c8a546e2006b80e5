import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { FileStore } from '../files/file-store.js';
import { sniffImageType } from '../files/image-type.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { PHONE_INPUT_MAX, toE164 } from '../text/phone-number.js';
import { SIP_INPUT_MAX, toSipUri } from '../text/sip-address.js';
import { cleanLabel } from '../text/text-hygiene.js';
import { AVAILABILITIES, DIRECTORY_LANGUAGES, type Availability } from './directory-fields.js';
import { directorySettings } from './directory-settings.js';

/** The largest photo accepted (a card shows it at 96 px; 1 MB is plenty for a portrait). */
export const MAX_PHOTO_BYTES = 1_000_000;
export const JOB_TITLE_MAX = 80;

export interface DirectoryProfile {
  listed: boolean;
  jobTitle: string;
  phone: string;
  mobile: string;
  sip: string;
  languages: string[];
  availability: Availability;
  photoFile: string | null;
}

const EMPTY: DirectoryProfile = { listed: false, jobTitle: '', phone: '', mobile: '', sip: '', languages: [], availability: 'available', photoFile: null };

/** What the account form sends; numbers as typed (normalised on save). */
export const profileFormSchema = z.object({
  listed: z.literal('1').optional(),
  job_title: z.string().max(JOB_TITLE_MAX * 2).default(''),
  phone: z.string().max(PHONE_INPUT_MAX * 2).default(''),
  mobile: z.string().max(PHONE_INPUT_MAX * 2).default(''),
  sip: z.string().max(SIP_INPUT_MAX * 2).default(''),
  languages: z.union([z.string(), z.array(z.string())]).optional(),
  availability: z.string().default('available'),
});
export type ProfileForm = z.infer<typeof profileFormSchema>;

/** A staff member's own card (empty until first saved). */
export async function ownProfile(db: Kysely<DB>, tenantId: number, userId: number): Promise<DirectoryProfile> {
  const row = await tenantScope(db, tenantId).selectFrom('directory_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return { ...EMPTY };
  return {
    listed: Boolean(row.listed), jobTitle: row.job_title ?? '', phone: row.phone ?? '', mobile: row.mobile ?? '', sip: row.sip ?? '',
    languages: row.languages ? row.languages.split(',') : [], availability: (AVAILABILITIES as readonly string[]).includes(row.availability) ? (row.availability as Availability) : 'available',
    photoFile: row.photo_file,
  };
}

/** Checks and normalises the form: numbers to E.164 in the tenant's country, the SIP address to a sip: URI. Field errors are message keys. */
export async function checkProfile(db: Kysely<DB>, tenantId: number, form: ProfileForm): Promise<Omit<DirectoryProfile, 'photoFile'>> {
  const { phoneCountry } = await directorySettings(db, tenantId);
  const fields: Record<string, string> = {};
  const number = (name: 'phone' | 'mobile') => {
    const text = form[name].trim();
    if (!text) return '';
    const e164 = toE164(text, phoneCountry);
    if (!e164) fields[name] = 'directory.field.phoneInvalid';
    return e164 ?? '';
  };
  const phone = number('phone');
  const mobile = number('mobile');
  const sipText = form.sip.trim();
  const sip = sipText ? toSipUri(sipText) : '';
  if (sip === null) fields.sip = 'directory.field.sipInvalid';
  const jobTitle = cleanLabel(form.job_title).trim();
  if (jobTitle.length > JOB_TITLE_MAX) fields.job_title = 'directory.field.tooLong';
  const picked = form.languages === undefined ? [] : Array.isArray(form.languages) ? form.languages : [form.languages];
  const languages = DIRECTORY_LANGUAGES.filter((code) => picked.includes(code));
  if (languages.length !== new Set(picked).size) fields.languages = 'directory.field.languageInvalid';
  if (!(AVAILABILITIES as readonly string[]).includes(form.availability)) fields.availability = 'directory.field.availabilityInvalid';
  if (Object.keys(fields).length) throw new DomainError('invalid', 'error.invalid', fields);
  return { listed: form.listed === '1', jobTitle, phone, mobile, sip: sip ?? '', languages, availability: form.availability as Availability };
}

/** A photo's bytes checked by their leading bytes (PNG, JPEG or WebP; never SVG, which could carry script) and size. */
export function checkPhoto(bytes: Uint8Array): { bytes: Uint8Array; type: string } {
  if (bytes.byteLength > MAX_PHOTO_BYTES) throw new DomainError('invalid', 'error.invalid', { photo: 'directory.field.photoSize' });
  const type = sniffImageType(bytes);
  if (!type || type === 'image/svg+xml') throw new DomainError('invalid', 'error.invalid', { photo: 'directory.field.photoType' });
  return { bytes, type };
}

/**
 * Saves a staff member's card: checks everything first (nothing is written when a field is refused),
 * then stores the photo (when one is given) and the row in one upsert.
 */
export async function saveProfile(
  deps: { db: Kysely<DB>; files: Pick<FileStore, 'put'>; now: Date },
  tenantId: number, userId: number, form: ProfileForm, photo?: Uint8Array | null,
): Promise<DirectoryProfile> {
  const checked = await checkProfile(deps.db, tenantId, form);
  const image = photo && photo.byteLength > 0 ? checkPhoto(photo) : null;
  const photoFile = image ? await deps.files.put(tenantId, image.bytes, image.type) : undefined;
  const values = {
    listed: checked.listed ? 1 : 0, job_title: checked.jobTitle || null, phone: checked.phone || null, mobile: checked.mobile || null,
    sip: checked.sip || null, languages: checked.languages.join(','), availability: checked.availability, updated_at: deps.now.toISOString(),
    ...(photoFile ? { photo_file: photoFile } : {}),
  };
  await tenantScope(deps.db, tenantId).insertInto('directory_profiles', { user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values).where('directory_profiles.tenant_id', '=', tenantId)).execute();
  return ownProfile(deps.db, tenantId, userId);
}

/** Just the availability (the quick switch on the directory page). */
export async function setAvailability(db: Kysely<DB>, tenantId: number, userId: number, availability: string, now: Date): Promise<void> {
  if (!(AVAILABILITIES as readonly string[]).includes(availability)) throw new DomainError('invalid', 'error.invalid', { availability: 'directory.field.availabilityInvalid' });
  await tenantScope(db, tenantId).insertInto('directory_profiles', { user_id: userId, availability, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ availability, updated_at: now.toISOString() }).where('directory_profiles.tenant_id', '=', tenantId)).execute();
}

export async function removePhoto(db: Kysely<DB>, tenantId: number, userId: number, now: Date): Promise<void> {
  await tenantScope(db, tenantId).updateTable('directory_profiles').set({ photo_file: null, updated_at: now.toISOString() }).where('user_id', '=', userId).execute();
}
