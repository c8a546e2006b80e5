import { invalidFields, pluginScope, type Services, type TenantScope } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';

export const EXTENSIONS_MAX = 500;

export interface TelephonySettings { missedGroupId: number | null }

export async function telephonySettings(scope: TenantScope): Promise<TelephonySettings> {
  const row = await pluginScope<ConnectDB>(scope.db, scope.tenantId).selectFrom('connect_phone_settings').select('missed_group_id').executeTakeFirst();
  return { missedGroupId: row?.missed_group_id ?? null };
}

export interface TelephonyForm { missedGroup: string; extensions: string }

/** The extensions as the form shows them: `extension; e-mail` a line. */
export async function extensionsText(services: Services, tenantId: number): Promise<string> {
  const rows = await pluginScope<ConnectDB>(services.db, tenantId).selectFrom('connect_extensions as x').innerJoin('users as u', 'u.id', 'x.user_id')
    .select(['x.extension', 'u.email']).orderBy('x.extension').execute();
  return rows.map((row) => `${row.extension}; ${row.email}`).join('\n');
}

/**
 * Saves the group missed calls go to and the extensions (`extension; staff e-mail` a line), all or
 * nothing: every refusal names its field.
 */
export async function saveTelephonySettings(services: Services, tenantId: number, form: TelephonyForm, actor: { id: number; label: string }): Promise<void> {
  const scope = pluginScope<ConnectDB>(services.db, tenantId);
  let missedGroupId: number | null = null;
  if (form.missedGroup.trim()) {
    const group = await scope.selectFrom('support_groups').select('id').where('id', '=', Number(form.missedGroup)).executeTakeFirst();
    if (!group) throw invalidFields('error.invalid', { missedGroup: 'connect.phone.group' });
    missedGroupId = group.id;
  }
  const lines = form.extensions.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length > EXTENSIONS_MAX) throw invalidFields('error.invalid', { extensions: 'connect.phone.tooMany' });
  const extensions = new Map<string, number>();
  const users = new Set<number>();
  for (const line of lines) {
    const [extension = '', email = ''] = line.split(/[;,]/).map((part) => part.trim());
    if (!/^[0-9A-Za-z*#+._@-]{1,60}$/.test(extension) || extensions.has(extension)) throw invalidFields('error.invalid', { extensions: 'connect.phone.extension' });
    const user = await scope.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
    if (!user || users.has(user.id)) throw invalidFields('error.invalid', { extensions: 'connect.phone.user' });
    extensions.set(extension, user.id);
    users.add(user.id);
  }
  await services.db.transaction().execute(async (trx) => {
    const tx = scope.withDb(trx);
    const current = await tx.selectFrom('connect_phone_settings').select('id').executeTakeFirst();
    if (current) await tx.updateTable('connect_phone_settings').set({ missed_group_id: missedGroupId }).where('id', '=', current.id).execute();
    else await tx.insertInto('connect_phone_settings', { missed_group_id: missedGroupId }).execute();
    await tx.deleteFrom('connect_extensions').execute();
    for (const [extension, userId] of extensions) await tx.insertInto('connect_extensions', { extension, user_id: userId }).execute();
    await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'connect.phone_settings_changed', details: { missedGroupId, extensions: extensions.size } }, trx);
  });
}
