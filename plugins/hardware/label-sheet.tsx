import type { Hono } from 'hono';
import { href, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { modelLabel } from './catalogue-store.js';
import { filteredDevices, readFilter } from './device-list.js';
import { VIEW } from './device-routes.js';

/** At most this many labels on one sheet request (a filtered list beyond it is cut; narrow the filter). */
export const LABELS_MAX = 480;

/**
 * Printable QR labels (A4, 3 × 8 labels of 70 × 37 mm a page, CSS print): for the device list's filters
 * (`/p/hardware/labels?type=…`) or one device (`?id=`). Each label has a QR code (SVG, no canvas) of the
 * device page's full address, the inventory number, the model and the customer.
 */
export function labelRoutes(app: Hono<AppEnv>): void {
  app.get('/labels', requirePermission(VIEW), async (c) => {
    const t = c.var.t;
    const { filter, errors } = readFilter(c.req.query());
    const one = c.req.query('id');
    if (Object.keys(errors).length || (one !== undefined && !/^[1-9][0-9]{0,15}$/.test(one))) return c.text(t('error.invalid'), 422);
    let query = filteredDevices(c.var.services, tenantOf(c).id, filter)
      .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
      .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_models.name', 'hardware_manufacturers.name as manufacturer', 'organisations.name as organisation']);
    if (one !== undefined) query = query.where('hardware_devices.id', '=', Number(one));
    const rows = await query.orderBy('hardware_devices.inventory_number').limit(LABELS_MAX).execute();
    if (one !== undefined && rows.length === 0) return c.text(t('error.notFound'), 404);
    const origin = new URL(c.req.url).origin;
    // Loaded on first use: the QR encoder costs ~4 MB of RSS a server that never prints labels need not pay.
    const { default: QRCode } = await import('qrcode');
    const labels = await Promise.all(rows.map(async (row) => ({
      ...row, svg: await QRCode.toString(`${origin}${href(c, `/p/hardware/devices/${row.id}`)}`, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }),
    })));
    c.header('Cache-Control', 'no-store');
    return c.html(
      '<!doctype html>' + (
        <html lang={c.var.locale}>
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{t('hardware.labels.title')}</title>
            <link rel="stylesheet" href="/static/p/hardware/labels.css" />
          </head>
          <body class="hardware-labels">
            <p class="hardware-labels-note">{t('hardware.labels.note', { count: labels.length })}</p>
            <main class="hardware-label-sheet" id="hardware-labels">
              {labels.map((label) => (
                <section class="hardware-label" id={`hardware-label-${label.id}`}>
                  <div class="hardware-label-qr" dangerouslySetInnerHTML={{ __html: label.svg }} />
                  <div class="hardware-label-text">
                    <strong>{label.inventory_number}</strong>
                    <span>{modelLabel(label)}</span>
                    <span>{label.organisation}</span>
                  </div>
                </section>
              ))}
            </main>
          </body>
        </html>
      ).toString(),
    );
  });
}
