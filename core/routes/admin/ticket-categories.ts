import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { auditTicketConfig as audit, categoryById } from './ticket-config-data.js';
import { ticketConfigPage } from './ticket-settings.js';

const position = z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? undefined : Number(v))).pipe(z.number().int().min(0).max(9999).optional());

const newCategorySchema = z.object({ name: z.string().trim().min(1).max(80), position });
const categorySchema = z.object({ name: z.string().trim().min(1).max(80), position, active: z.literal('1').optional() });

/** Categories of tickets: tickets and field definitions refer to them by name, so a rename carries over to both. */
export function ticketCategoryRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.tickets')] as const;

  app.post('/admin/tickets/categories', ...guard, async (c) => {
    const t = c.var.t;
    const form = await parseForm(c, newCategorySchema);
    if (!form.ok) return ticketConfigPage(c, { section: 'category', errors: form.errors, values: form.values }, 422);
    const tenantScope = scope(c);
    const taken = await tenantScope.selectFrom('ticket_categories').select('id').where('name', '=', form.data.name).executeTakeFirst();
    if (taken) return ticketConfigPage(c, { section: 'category', errors: { name: t('ticketAdmin.categoryTaken') }, values: form.values }, 422);
    const last = await tenantScope.selectFrom('ticket_categories').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
    await tenantScope.insertInto('ticket_categories', { name: form.data.name, position: form.data.position ?? Number(last?.max ?? -1) + 1, active: 1 }).execute();
    await audit(c, 'admin.ticket_category_created', form.data.name);
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, '/admin/tickets#categories'));
  });

  app.post('/admin/tickets/categories/:id', ...guard, async (c) => {
    const t = c.var.t;
    const category = await categoryById(c);
    const form = await parseForm(c, categorySchema);
    if (!form.ok) return ticketConfigPage(c, { section: 'category', categoryId: category.id, errors: form.errors, values: form.values }, 422);
    const { name } = form.data;
    const tenantScope = scope(c);
    if (name !== category.name) {
      const taken = await tenantScope.selectFrom('ticket_categories').select('id').where('name', '=', name).where('id', '!=', category.id).executeTakeFirst();
      if (taken) return ticketConfigPage(c, { section: 'category', categoryId: category.id, errors: { name: t('ticketAdmin.categoryTaken') }, values: form.values }, 422);
    }
    await c.var.services.db.transaction().execute(async (trx) => {
      const inTrx = tenantScope.withDb(trx);
      await inTrx.updateTable('ticket_categories').set({ name, position: form.data.position ?? category.position, active: form.data.active ? 1 : 0 }).where('id', '=', category.id).execute();
      if (name !== category.name) {
        await inTrx.updateTable('tickets').set({ category: name }).where('category', '=', category.name).execute();
        const fields = await inTrx.selectFrom('ticket_fields').select(['id', 'categories']).where('record_kind', '=', 'ticket').execute();
        for (const field of fields) {
          const names = JSON.parse(field.categories) as string[];
          if (!names.includes(category.name)) continue;
          await inTrx.updateTable('ticket_fields').set({ categories: JSON.stringify(names.map((n) => (n === category.name ? name : n))) }).where('id', '=', field.id).execute();
        }
      }
    });
    await audit(c, 'admin.ticket_category_updated', name, { from: category.name, active: form.data.active ? 1 : 0 });
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, '/admin/tickets#categories'));
  });
}
