import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import {
  DomainError, Page, href, pluginScope, publicOrigin, render, requirePermission, tenantOf, type AppEnv, type SlotContext, type TicketSlotProps,
} from '../../core/plugin-api.js';
import { Marked, StateBadge } from './entry-views.js';
import type { KnowledgeDB } from './knowledge-db.js';
import type { KnowledgeSearch, SearchResults } from './search/knowledge-search.js';
import { STAFF } from './search/visibility.js';
import { ticketKnowledge } from './ticket-knowledge.js';

const SCRIPT = '/static/p/knowledge/knowledge.js';
const idOf = (value: string | undefined): number | undefined => (value && /^\d{1,9}$/.test(value) ? Number(value) : undefined);

/**
 * The ticket page's knowledge panel (side column): the entries taken from this ticket, "take into knowledge
 * base" once it is solved, and suggestions for its text, loaded after the page (htmx) so the ticket page keeps
 * its budget; without JavaScript a link opens them as a page. The plugin's script adds "insert into reply"
 * and the `??` search in the reply box.
 */
export async function TicketKnowledgePanel(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  if (!ctx.can('knowledge.view')) return null;
  const { ticket } = ctx.props;
  const taken = await pluginScope<KnowledgeDB>(ctx.scope.db, ctx.tenantId).selectFrom('knowledge_ticket_origins as o')
    .innerJoin('knowledge_entries as e', 'e.id', 'o.entry_id').select(['e.id', 'e.title']).where('o.ticket_id', '=', ticket.id).orderBy('e.id').execute();
  const solved = ticket.status === 'solved' || ticket.status === 'closed';
  const suggestions = ctx.href(`/p/knowledge/tickets/${ticket.id}/suggestions`);
  return (
    <section class="card stack knowledge-panel" id="knowledge-ticket-panel"
      data-knowledge-suggest={ctx.href(`/p/knowledge/tickets/${ticket.id}/search`)} data-knowledge-none={ctx.t('knowledge.search.none')}>
      <h2>{ctx.t('knowledge.name')}</h2>
      {taken.length ? (
        <ul class="knowledge-hits" id="knowledge-ticket-entries">
          {taken.map((entry) => <li><span class="muted">{ctx.t('knowledge.ticket.entry')}</span> <a href={ctx.href(`/p/knowledge/entries/${entry.id}`)}>{entry.title}</a></li>)}
        </ul>
      ) : null}
      {solved && !ticket.deleted_at && ctx.can('knowledge.edit') ? (
        <a class="button" id="knowledge-take" href={ctx.href(`/p/knowledge/new?kind=kb&from_ticket=${ticket.id}`)}>{ctx.t('knowledge.ticket.take')}</a>
      ) : null}
      {/* Suggestions help answer; a deleted ticket takes no answer (and its suggestions are no page). */}
      {ticket.deleted_at ? null : (
        <div id="knowledge-suggestions" hx-get={suggestions} hx-trigger="load" hx-swap="innerHTML">
          <a href={suggestions}>{ctx.t('knowledge.ticket.suggestions')}</a>
        </div>
      )}
      <script src={SCRIPT} defer></script>
    </section>
  );
}

/** Hits with "insert into reply" (a button the script brings to life; without it the title links to the entry). */
function HitList(props: { c: Context<AppEnv>; ticketId: number; results: SearchResults; id: string }) {
  const { c, ticketId, results } = props;
  const t = c.var.t;
  const hits = results.groups.flatMap((group) => group.hits);
  if (hits.length === 0) return <p class="muted" id={`${props.id}-none`}>{t('knowledge.search.none')}</p>;
  return (
    <ul class="knowledge-hits knowledge-suggestion-list" id={props.id}>
      {hits.map((hit) => (
        <li class="knowledge-suggestion">
          <a href={href(c, `/p/knowledge/entries/${hit.id}`)} class="knowledge-hit-title"><Marked segments={hit.title} /></a>{' '}
          <span class="muted">{t(`knowledge.kind.${hit.kind}`)} · {t(`knowledge.visibility.${hit.visibility}`)}</span>{' '}
          <StateBadge c={c} state={hit.state} />
          <p class="knowledge-snippet"><Marked segments={hit.snippet} /></p>
          <button type="button" class="button-small" hidden data-knowledge-insert={href(c, `/p/knowledge/tickets/${ticketId}/use/${hit.id}`)}>{t('knowledge.ticket.insert')}</button>
        </li>
      ))}
    </ul>
  );
}

/** The panel's routes: suggestions for a ticket, the `??` search, and "insert into reply" (counts the use, answers the text). */
export function ticketPanelRoutes(search: KnowledgeSearch) {
  return (app: Hono<AppEnv>): void => {
    /** The tenant's ticket (not deleted), or 404 (another tenant's id included). */
    const ticketOf = async (c: Context<AppEnv>) => {
      const id = idOf(c.req.param('ticket'));
      const ticket = id === undefined ? undefined : await pluginScope<KnowledgeDB>(c.var.services.db, tenantOf(c).id).selectFrom('tickets')
        .select(['id', 'number', 'subject', 'description']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!ticket) throw new DomainError('not_found', 'error.notFound');
      return ticket;
    };
    const fragmentOrPage = (c: Context<AppEnv>, title: string, body: Child) => render(c, { title, page: <Page title={title}>{body}</Page>, fragment: body });

    app.get('/tickets/:ticket{[0-9]+}/suggestions', requirePermission('knowledge.view'), async (c) => {
      const ticket = await ticketOf(c);
      const problem = await pluginScope<KnowledgeDB>(c.var.services.db, tenantOf(c).id).selectFrom('ticket_articles').select('body_text')
        .where('ticket_id', '=', ticket.id).where('kind', '=', 'customer').orderBy('id').limit(1).executeTakeFirst();
      // The subject and the start of the customer's message (or of the ticket's description when an agent opened it);
      // an entry matching more of its words ranks higher.
      const q = `${ticket.subject} ${(problem?.body_text || ticket.description || '').slice(0, 120)}`;
      const results = await search.search(c.var.services, tenantOf(c).id, { q, viewer: STAFF, state: 'published', limit: 3, match: 'any' });
      return fragmentOrPage(c, c.var.t('knowledge.ticket.suggestions'), <HitList c={c} ticketId={ticket.id} results={results} id="knowledge-suggestion-hits" />);
    });

    app.get('/tickets/:ticket{[0-9]+}/search', requirePermission('knowledge.view'), async (c) => {
      const ticket = await ticketOf(c);
      const q = (c.req.query('q') ?? '').trim().slice(0, 200);
      const results = q ? await search.search(c.var.services, tenantOf(c).id, { q, viewer: STAFF, state: 'published', limit: 3 }) : { total: 0, groups: [] };
      return fragmentOrPage(c, c.var.t('knowledge.search'), <HitList c={c} ticketId={ticket.id} results={results} id="knowledge-typeahead-hits" />);
    });

    app.post('/tickets/:ticket{[0-9]+}/use/:entry{[0-9]+}', requirePermission('knowledge.view'), async (c) => {
      const ticket = await ticketOf(c);
      const entryId = Number(c.req.param('entry'));
      const used = await ticketKnowledge(c.var.services, tenantOf(c).id).use(ticket.id, entryId);
      // An entry customers may read goes with its link in the portal, when the tenant has the portal on.
      const link = used.forCustomers && c.var.enabledPlugins.has('portal') ? `\n\n${c.var.t('knowledge.ticket.readMore')} ${publicOrigin(c)}${href(c, `/portal/kb/${entryId}`)}` : '';
      return c.json({ text: used.body + link });
    });
  };
}
