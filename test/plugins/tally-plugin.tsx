// Written like a real plugin: only the plugin API.
import { deliverNotifications, definePlugin, HttpError, notify, requirePermission, staff, tenantScope } from '../../core/plugin-api.js';

/**
 * A small plugin for the registries' tests: it declares a permission, an audit action and a
 * notification kind with their labels, and adds a statistics panel. Counting a ticket
 * (POST /p/tally/tickets/<number>/count, form field `user`) writes the audit entry and notifies
 * that user about the ticket in one transaction.
 */
export const tallyPlugin = definePlugin({
  id: 'tally',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'tally.name',
  permissions: [{ key: 'tally.view', roles: ['admin'], label: { en: 'See the tallies', de: 'Strichlisten sehen' } }],
  auditActions: { 'tally.counted': { en: 'Counted a ticket', de: 'Ticket gezählt' } },
  notificationKinds: { 'tally.milestone': { en: 'Tally milestone', de: 'Zählerstand erreicht' } },
  messages: {
    en: { 'tally.name': 'Tally', 'tally.count': '{count} tickets counted' },
    de: { 'tally.name': 'Strichliste', 'tally.count': '{count} Tickets gezählt' },
  },
  register(api) {
    api.routes((app) => {
      app.post('/tickets/:number/count', requirePermission('tally.view'), async (c) => {
        const tenantId = c.var.tenant!.id;
        const actor = staff(c);
        const userId = Number((await c.req.parseBody()).user);
        const notice = await c.var.services.db.transaction().execute(async (trx) => {
          const ticket = await tenantScope(trx, tenantId).selectFrom('tickets').select(['id', 'number']).where('number', '=', c.req.param('number')).executeTakeFirst();
          if (!ticket?.number) throw new HttpError(404, c.var.t('error.notFound'));
          await c.var.services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.email }, action: 'tally.counted', target: ticket.number }, trx);
          return notify(trx, { tenantId, userId, ticketId: ticket.id, kind: 'tally.milestone', summary: `Ticket ${ticket.number} counted`, actorLabel: actor.name });
        });
        await deliverNotifications(c.var.services, [notice]);
        return c.text('counted', 201);
      });
    });
    // Without a permission of its own: every viewer of the page sees it, while the tenant has the plugin on.
    api.statisticsPanel({ id: 'summary', label: { en: 'Tally summary', de: 'Strichlisten-Übersicht' }, render: (ctx) => <p id="tally-summary">{ctx.t('tally.name')}</p> });
    api.statisticsPanel({
      id: 'tallies',
      label: { en: 'Tallies', de: 'Strichlisten' },
      permission: 'tally.view',
      async render(ctx) {
        const row = await ctx.scope.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'tally.milestone').executeTakeFirstOrThrow();
        return <p id="tally-count">{ctx.t('tally.count', { count: Number(row.n) })}</p>;
      },
    });
  },
});
