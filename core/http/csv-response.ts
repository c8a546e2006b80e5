import type { Context } from 'hono';

/**
 * A CSV download: UTF-8 with a byte-order mark (so that spreadsheets read umlauts right), offered as a file with
 * `filename`, never sniffed as anything else.
 */
export function csvResponse(c: Context, filename: string, csv: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"`);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(`\uFEFF${csv}`);
}
