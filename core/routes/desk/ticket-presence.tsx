import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { isHtmx, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { ticketUrl } from './ticket-page-parts.js';

// "Also here: Sven (editing)" on the ticket page: the tab beats every 20 s (and when it starts or stops editing,
// static/ticket-live.js), and says goodbye when it goes; the list follows sse:presence (core/presence/presence-registry.ts).

const TAB = /^[A-Za-z0-9-]{8,64}$/;

/** Who else has this ticket open; empty (and hidden) when nobody. Re-reads itself when the presence changes. */
export function PresenceList({ c, number }: { c: Context<AppEnv>; number: string }) {
  const t = c.var.t;
  const people = c.var.services.presence.present(tenantOf(c).id, number, staff(c).id);
  return (
    <p id="ticket-presence-list" class="presence-list" aria-live="polite" hidden={people.length === 0}
      hx-get={ticketUrl(c, number, '/presence')} hx-trigger="sse:presence" hx-swap="outerHTML">
      <span class="presence-label">{t('ticket.presence.label')}</span>
      {people.map((person) => (
        <span class={`presence-person presence-${person.state}`} data-user={String(person.userId)}>{t(`ticket.presence.${person.state}`, { name: person.name })}</span>
      ))}
    </p>
  );
}

/** The heartbeat form (a tab of its own per page load) and the list. */
export function PresenceBar({ c, number }: { c: Context<AppEnv>; number: string }) {
  const url = ticketUrl(c, number, '/presence');
  return (
    <div id="ticket-presence" class="presence">
      <form method="post" action={url} hx-post={url} hx-trigger="load, every 20s, presence-beat from:body" hx-target="#ticket-presence-list" hx-swap="outerHTML" data-presence>
        <input type="hidden" name="tab" value={randomUUID()} />
        <input type="hidden" name="state" value="viewing" />
      </form>
      <PresenceList c={c} number={number} />
    </div>
  );
}

export function ticketPresenceRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.view')] as const;

  app.post(`${TICKET_PATH}/presence`, ...guard, async (c) => {
    const { number } = await findTicket(c, c.req.param('number'));
    const body = await c.req.parseBody();
    const tab = typeof body.tab === 'string' ? body.tab : '';
    const state = body.state;
    if (!TAB.test(tab) || (state !== 'viewing' && state !== 'editing' && state !== 'gone')) {
      throw new HttpError(422, c.var.t('error.invalid'), { state: c.var.t('validation.choice') });
    }
    const user = staff(c);
    c.var.services.presence.beat(tenantOf(c).id, { number, tab, userId: user.id, name: user.name, state });
    if (state === 'gone' || !isHtmx(c)) return c.body(null, 204);
    return c.html(<PresenceList c={c} number={number} />);
  });

  app.get(`${TICKET_PATH}/presence`, ...guard, async (c) => {
    const { number } = await findTicket(c, c.req.param('number'));
    if (!isHtmx(c)) return c.redirect(ticketUrl(c, number), 303);
    return c.html(<PresenceList c={c} number={number} />);
  });
}
