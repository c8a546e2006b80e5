import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { idFrom } from '../http/forms.js';
import { tenantOf } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { findContact, listContacts, type DirectoryContact, type DirectoryQuery, type DirectoryViewer } from './directory-contacts.js';
import { isAvailability } from './directory-fields.js';
import { contactVcard, vcardFilename } from './directory-vcard.js';

/** The list's filter from the query string (unknown values ignored, the text cut to 100 characters). */
export function directoryQuery(c: Context<AppEnv>): DirectoryQuery & { q: string; availability?: DirectoryQuery['availability'] } {
  const availability = c.req.query('availability') ?? '';
  return { q: (c.req.query('q') ?? '').trim().slice(0, 100), availability: isAvailability(availability) ? availability : undefined };
}

/** The cards the viewer may see in this request's tenant; 404 when the directory is closed to them. */
export async function contactsFor(c: Context<AppEnv>, viewer: DirectoryViewer, query: DirectoryQuery = {}): Promise<DirectoryContact[]> {
  const contacts = await listContacts(c.var.services, tenantOf(c).id, viewer, query, c.var.enabledPlugins);
  if (!contacts) throw new HttpError(404, c.var.t('error.notFound'));
  return contacts;
}

/** The card of the path's :id as the viewer may see it; 404 for a bad id, someone not listed, another tenant's, a closed directory. */
export async function contactFor(c: Context<AppEnv>, viewer: DirectoryViewer): Promise<DirectoryContact> {
  const userId = idFrom(c.req.param('id') ?? '');
  const contact = userId === null ? null : await findContact(c.var.services, tenantOf(c).id, viewer, userId, c.var.enabledPlugins);
  if (!contact) throw new HttpError(404, c.var.t('directory.notFound'));
  return contact;
}

/** The card as a vCard download (only the fields the viewer sees). */
export function vcardResponse(c: Context<AppEnv>, contact: DirectoryContact): Response {
  const tenant = tenantOf(c);
  const text = contactVcard(contact, { organisation: tenant.name, roleLabel: (role) => c.var.t(`role.${role}`), uid: `${tenant.slug}-${contact.userId}`, now: c.var.services.clock() });
  c.header('Content-Type', 'text/vcard; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${vcardFilename(contact.name)}"`);
  c.header('Cache-Control', 'private, no-store');
  return c.body(text);
}

/** The card's photo (when the viewer sees photos and there is one), from the tenant's file store. */
export async function photoResponse(c: Context<AppEnv>, contact: Pick<DirectoryContact, 'photo'>): Promise<Response> {
  if (!contact.photo) throw new HttpError(404, c.var.t('error.notFound'));
  const file = await c.var.services.files.get(tenantOf(c).id, contact.photo);
  if (!file || !file.mimeType.startsWith('image/') || file.mimeType === 'image/svg+xml') throw new HttpError(404, c.var.t('error.notFound'));
  c.header('Content-Type', file.mimeType);
  // The URL carries the file's hash, so a new photo is a new URL.
  c.header('Cache-Control', 'private, max-age=86400');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(new Uint8Array(file.bytes));
}
