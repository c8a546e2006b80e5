import type { TenantScope } from '../../core/plugin-api.js';
import { eachServiceInterval, type StateLine } from './defect-stats.js';
import type { HardwareDB } from './hardware-db.js';

/** One period a device was in service, as `eachServiceInterval` gives it (epoch ms; `end_ms` null while it still is). */
export interface ServiceSpan { device_id: number; start_ms: number; end_ms: number | null; prev_end_ms: number | null }

/** Rows per insert (5 parameters each). */
const CHUNK = 2000;

/**
 * The periods in service from state lines (any devices; lines of one instant in the order given), each with the end of
 * the device's latest earlier period that lasted more than an instant (`prev_end_ms`): the defect statistics start a
 * period's months after the months that one covered, without a window over the device's periods.
 */
export function serviceSpans(lines: readonly StateLine[]): ServiceSpan[] {
  const spans: ServiceSpan[] = [];
  let device = Number.NaN;
  let prevEnd: number | null = null;
  eachServiceInterval(lines, (deviceId, start, end) => {
    if (deviceId !== device) { device = deviceId; prevEnd = null; }
    const open = end === Number.POSITIVE_INFINITY;
    spans.push({ device_id: deviceId, start_ms: start, end_ms: open ? null : end, prev_end_ms: prevEnd });
    if (!open && end > start) prevEnd = end;
  });
  return spans;
}

/** Adds spans in chunks (inside the caller's transaction). */
export async function insertSpans(tx: TenantScope<HardwareDB>, spans: readonly ServiceSpan[]): Promise<void> {
  for (let i = 0; i < spans.length; i += CHUNK) await tx.insertInto('hardware_service_spans', spans.slice(i, i + CHUNK)).execute();
}

/**
 * Counts the devices' periods in service again from their state lines and replaces their spans: called in the same
 * transaction as every write of state lines (device-store, the import), so `hardware_service_spans` always equals a
 * recount of `hardware_device_history` (service-spans.test.ts).
 */
export async function refreshServiceSpans(tx: TenantScope<HardwareDB>, deviceIds: readonly number[]): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += 500) {
    const part = deviceIds.slice(i, i + 500);
    const lines = await tx.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value'])
      .where('field', '=', 'state').where('device_id', 'in', part).orderBy('device_id').orderBy('at').orderBy('id').execute();
    await tx.deleteFrom('hardware_service_spans').where('device_id', 'in', part).execute();
    await insertSpans(tx, serviceSpans(lines.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' }))));
  }
}
