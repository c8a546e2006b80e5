import type { Context, Hono } from 'hono';
import { DomainError, attachmentResponse, filesFromForm, flash, href, redirectTo, requirePermission, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { FILES_PER_DEVICE, FILE_MAX_MB, deviceFiles } from './device-files.js';
import { EDIT, VIEW, devicePage } from './device-routes.js';
import { deviceStore } from './device-store.js';

const actorOf = (c: Context<AppEnv>) => ({ id: staff(c).id, label: staff(c).email });

/**
 * A device's files for staff: download (VIEW), upload and removal (EDIT, audited). Customers never reach these
 * routes: the portal shows a device's facts, not its files (invoices, configurations, photos stay internal).
 */
export function deviceFileRoutes(app: Hono<AppEnv>): void {
  const files = (c: Context<AppEnv>) => deviceFiles(c.var.services, tenantOf(c).id);
  const deviceId = (c: Context<AppEnv>) => Number(c.req.param('id'));

  app.get('/devices/:id{[0-9]+}/files/:file{[0-9]+}', requirePermission(VIEW), async (c) => {
    const file = await files(c).get(deviceId(c), Number(c.req.param('file')));
    return attachmentResponse(c, { bytes: file.bytes, filename: file.filename, mimeType: file.mime_type }, 'private', 'attachment');
  });

  app.post('/devices/:id{[0-9]+}/files', requirePermission(EDIT), async (c) => {
    const device = await deviceStore(c.var.services, tenantOf(c).id).get(deviceId(c));
    const body = await c.req.parseBody({ all: true });
    try {
      await files(c).add(device.id, await filesFromForm(body.files), actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      const key = error.fields.files ?? 'error.invalid';
      return devicePage(c, device, c.var.t(key, { max: key === 'hardware.files.tooLarge' ? FILE_MAX_MB : FILES_PER_DEVICE }));
    }
    flash(c, 'success', c.var.t('hardware.files.added'));
    return redirectTo(c, href(c, `/p/hardware/devices/${device.id}#hardware-files`));
  });

  app.post('/devices/:id{[0-9]+}/files/:file{[0-9]+}/delete', requirePermission(EDIT), async (c) => {
    await files(c).remove(deviceId(c), Number(c.req.param('file')), actorOf(c));
    flash(c, 'success', c.var.t('hardware.files.removed'));
    return redirectTo(c, href(c, `/p/hardware/devices/${deviceId(c)}#hardware-files`));
  });
}
