import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { bumpConfigRevision } from '../tenancy/tenant-directory.js';
import { ticketSettingsSchema, type TicketSettings } from './ticket-settings.js';

/**
 * Writes the ticket rules under `tickets` in tenants.settings, keeping the other keys, and moves
 * the configuration revision so every process reloads the cached tenant on its next request.
 */
export async function saveTicketSettings(db: Kysely<DB>, tenantId: number, settings: TicketSettings): Promise<void> {
  const checked = ticketSettingsSchema.parse(settings);
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
    let all: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(row.settings);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) all = parsed as Record<string, unknown>;
    } catch {
      all = {};
    }
    await trx.updateTable('tenants').set({ settings: JSON.stringify({ ...all, tickets: checked }) }).where('id', '=', tenantId).execute();
    await bumpConfigRevision(trx);
  });
}
