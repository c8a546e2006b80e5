import {
  DomainError, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, attachmentType, cleanFilename, invalidFields, pluginScope, type AttachmentInput, type Services,
} from '../../core/plugin-api.js';
import type { Actor } from './device-store.js';
import type { HardwareDB } from './hardware-db.js';

/** A file of at most 10 MB (core's attachment limit), at most 10 per upload and 20 per device. */
export const FILE_MAX_MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;
export const FILES_PER_UPLOAD = MAX_ATTACHMENTS;
export const FILES_PER_DEVICE = 20;

export interface DeviceFile { id: number; device_id: number; filename: string; mime_type: string; size: number; created_at: string; created_by: string }
const FILE_COLUMNS = ['id', 'device_id', 'filename', 'mime_type', 'size', 'created_at', 'created_by'] as const;

/**
 * The files of the tenant's devices: bytes in core's file store (content-addressed, per tenant), a row per file
 * with its sanitised name and type (from core's own table of attachment types, never the client's claim). Every
 * query goes through the tenant scope: another tenant's device or file id is simply not found.
 */
export function deviceFiles(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  async function deviceOf(deviceId: number): Promise<{ id: number; inventory_number: string }> {
    const device = await scope.selectFrom('hardware_devices').select(['id', 'inventory_number']).where('id', '=', deviceId).executeTakeFirst();
    if (!device) throw new DomainError('not_found', 'error.notFound');
    return device;
  }

  return {
    list(deviceId: number): Promise<DeviceFile[]> {
      return scope.selectFrom('hardware_device_files').select(FILE_COLUMNS).where('device_id', '=', deviceId).orderBy('id').execute();
    },

    /** A file of that device with its bytes, or not found (another device's or tenant's id, or bytes gone from the disk). */
    async get(deviceId: number, fileId: number): Promise<DeviceFile & { bytes: Uint8Array }> {
      const row = await scope.selectFrom('hardware_device_files').select([...FILE_COLUMNS, 'sha256']).where('id', '=', fileId).where('device_id', '=', deviceId).executeTakeFirst();
      const stored = row && await services.files.get(tenantId, row.sha256);
      if (!row || !stored) throw new DomainError('not_found', 'error.notFound');
      const { sha256: _sha, ...file } = row;
      return { ...file, bytes: stored.bytes };
    },

    /** Adds files (checked first: count, type, size; on a refusal nothing is stored). Refusals at the field `files`. */
    async add(deviceId: number, files: readonly AttachmentInput[], actor: Actor): Promise<number> {
      const device = await deviceOf(deviceId);
      const existing = Number((await scope.selectFrom('hardware_device_files').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', deviceId).executeTakeFirstOrThrow()).n);
      let refusal: string | undefined;
      if (files.length === 0) refusal = 'hardware.files.missing';
      else if (files.length > FILES_PER_UPLOAD || existing + files.length > FILES_PER_DEVICE) refusal = 'hardware.files.tooMany';
      else if (files.some((file) => !attachmentType(cleanFilename(file.filename)))) refusal = 'hardware.files.type';
      else if (files.some((file) => file.bytes.byteLength > MAX_ATTACHMENT_BYTES)) refusal = 'hardware.files.tooLarge';
      if (refusal) throw invalidFields('error.invalid', { files: refusal });
      const now = services.clock().toISOString();
      const stored = await Promise.all(files.map(async (file) => {
        const filename = cleanFilename(file.filename);
        const mimeType = attachmentType(filename)!;
        return { filename, mime_type: mimeType, size: file.bytes.byteLength, sha256: await services.files.put(tenantId, file.bytes, mimeType) };
      }));
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await tx.insertInto('hardware_device_files', stored.map((file) => ({ ...file, device_id: device.id, created_at: now, created_by: actor.label }))).execute();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.file_added', target: `${device.inventory_number}: ${stored.map((f) => f.filename).join(', ')}` }, trx);
      });
      return stored.length;
    },

    async remove(deviceId: number, fileId: number, actor: Actor): Promise<void> {
      const device = await deviceOf(deviceId);
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const file = await tx.selectFrom('hardware_device_files').select('filename').where('id', '=', fileId).where('device_id', '=', deviceId).executeTakeFirst();
        if (!file) throw new DomainError('not_found', 'error.notFound');
        await tx.deleteFrom('hardware_device_files').where('id', '=', fileId).where('device_id', '=', deviceId).execute();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.file_removed', target: `${device.inventory_number}: ${file.filename}` }, trx);
      });
    },
  };
}
