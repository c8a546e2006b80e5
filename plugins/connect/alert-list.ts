import { pluginScope, type Services } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';

export const ALERTS_PAGE = 100;

export interface AlertRow {
  id: number; host: string; service: string; state: string; open: boolean; ticket_number: string;
  events_count: number; opened_at: string; last_at: string; closed_at: string | null;
}

/** The tenant's alerts, newest first: open or closed ones, of one host (its name exactly as the source sent it); one indexed page. */
export async function listAlerts(services: Services, tenantId: number, filter: { state?: 'open' | 'closed' | undefined; host?: string | undefined }): Promise<AlertRow[]> {
  let query = pluginScope<ConnectDB>(services.db, tenantId).selectFrom('connect_alerts as a').innerJoin('tickets as t', 't.id', 'a.ticket_id')
    .select(['a.id', 'a.host', 'a.service', 'a.state', 'a.open_key', 't.number as ticket_number', 'a.events_count', 'a.opened_at', 'a.last_at', 'a.closed_at']);
  if (filter.state === 'open') query = query.where('a.open_key', 'is not', null);
  if (filter.state === 'closed') query = query.where('a.open_key', 'is', null);
  if (filter.host) query = query.where('a.host', '=', filter.host.trim());
  const rows = await query.orderBy('a.opened_at', 'desc').orderBy('a.id', 'desc').limit(ALERTS_PAGE).execute();
  return rows.map(({ open_key, ...row }) => ({ ...row, open: open_key !== null, events_count: Number(row.events_count) }));
}
