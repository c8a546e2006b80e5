import { sql } from 'kysely';
import type { GroupLevel, Ticket, TicketArticle, TicketAttachment, TicketHistoryEntry } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { activeFieldDefinitions } from './custom-field-definitions.js';
import { type FieldDefinition } from './custom-fields.js';

// The ticket page's reads (core/routes/desk/ticket-page.tsx renders them).

/** An article as the page shows it; `has_html` says whether a mail HTML exists (a plugin may frame it). */
export type ArticleRow = Pick<TicketArticle, 'id' | 'kind' | 'channel' | 'author_label' | 'body_text' | 'created_at' | 'cc' | 'bcc'> & {
  has_html: boolean;
  /** The composer's safe HTML (articles written in markdown, issue 18 point 3); null for others, which show as before. */
  rich_html: string | null;
};
export type AttachmentRow = Pick<TicketAttachment, 'id' | 'article_id' | 'filename' | 'size' | 'created_at'>;
export type HistoryRow = Pick<TicketHistoryEntry, 'id' | 'actor_label' | 'action' | 'field' | 'old_value' | 'new_value' | 'note' | 'created_at'>;

/** Names of the rows a ticket and its history refer to, each kind read in one query. */
export interface NameBook {
  users: Map<number, string>;
  groups: Map<number, { name: string; level: GroupLevel }>;
  organisations: Map<number, string>;
  people: Map<number, { name: string; email: string | null }>;
  contracts: Map<number, { name: string; number: string }>;
}

export interface TicketOptions {
  categories: string[];
  people: Array<{ id: number; name: string; email: string | null }>;
  contracts: Array<{ id: number; name: string; number: string }>;
  groups: Array<{ id: number; name: string; level: GroupLevel }>;
  agents: Array<{ id: number; name: string }>;
  macros: Array<{ id: number; name: string; shared: boolean }>;
}

export interface TicketView {
  ticket: Ticket;
  articles: ArticleRow[];
  attachments: AttachmentRow[];
  history: HistoryRow[];
  names: NameBook;
  fields: FieldDefinition[];
  options: TicketOptions;
  /** For a ticket merged into another: the survivor's number (the page links to it). */
  mergedInto?: string | undefined;
  /** The signature this agent's reply gets, rendered, and whose it is (routes/desk/reply-tools.tsx). */
  signature?: { label: string; text: string } | undefined;
  /** Its links to other tickets and its tags (issue 18 point 7; loaded by the desk's ticket page). */
  links?: ReadonlyArray<{ id: number; role: string; number: string; subject: string; status: string }> | undefined;
  tags?: ReadonlyArray<{ id: number; name: string }> | undefined;
  /** Who may own it (ticket-owner.ts), for the sidebar's owner picker. */
  owners?: ReadonlyArray<{ id: number; name: string }> | undefined;
}

const REFERENCE_FIELDS = { assignee_id: 'users', group_id: 'groups', organisation_id: 'organisations', requester_id: 'people', contract_id: 'contracts' } as const;

const ids = (values: Array<number | string | null | undefined>) =>
  [...new Set(values.map((v) => Number(v)).filter((v) => Number.isInteger(v) && v > 0))];

/**
 * Everything the ticket page shows of a ticket, for the staff user `viewer.userId` (their macros).
 * `viewer.organisationId` lets the fields form offer the people and contracts of an organisation
 * the agent has chosen but not yet saved.
 */
export async function ticketPageView(s: TenantScope, ticket: Ticket, viewer: { userId: number; organisationId?: number | null | undefined }): Promise<TicketView> {
  const orgId = viewer.organisationId === undefined ? ticket.organisation_id : viewer.organisationId;
  const [articles, attachments, history, definitions, categories, people, contracts, groups, agents, macros] = await Promise.all([
    s.selectFrom('ticket_articles').select(['id', 'kind', 'channel', 'author_label', 'body_text', 'created_at', 'cc', 'bcc', sql<number>`case when body_html is null then 0 else 1 end`.as('has_html'),
      sql<string | null>`case when body_markdown is null then null else body_html end`.as('rich_html')])
      .where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute()
      .then((rows) => rows.map((row) => ({ ...row, has_html: Number(row.has_html) === 1 }))),
    s.selectFrom('ticket_attachments').select(['id', 'article_id', 'filename', 'size', 'created_at'])
      .where('ticket_id', '=', ticket.id).orderBy('id').execute(),
    s.selectFrom('ticket_history').select(['id', 'actor_label', 'action', 'field', 'old_value', 'new_value', 'note', 'created_at'])
      .where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute(),
    activeFieldDefinitions(s),
    s.selectFrom('ticket_categories').select('name').where('active', '=', 1).orderBy('position').orderBy('name').execute(),
    orgId ? s.selectFrom('people').select(['id', 'name', 'email']).where('organisation_id', '=', orgId).where('active', '=', 1).orderBy('name').execute() : Promise.resolve([]),
    orgId ? s.selectFrom('contracts').select(['id', 'name', 'number']).where('organisation_id', '=', orgId).orderBy('name').execute() : Promise.resolve([]),
    s.selectFrom('support_groups').select(['id', 'name', 'level']).orderBy('level').orderBy('name').execute(),
    s.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', s.tenantId).where('active', '=', 1)
      .where('role', 'in', ['agent', 'supervisor', 'admin']).orderBy('name').execute(),
    s.selectFrom('macros').select(['id', 'name', 'user_id'])
      .where((eb) => eb.or([eb('user_id', '=', viewer.userId), eb('user_id', 'is', null)])).orderBy('name').execute(),
  ]);

  // Every id the header and the history mention, gathered per table, then one query per table.
  const wanted: Record<keyof NameBook, Array<number | string | null>> = {
    users: [ticket.assignee_id], groups: [ticket.group_id], organisations: [ticket.organisation_id, orgId],
    people: [ticket.requester_id], contracts: [ticket.contract_id],
  };
  for (const entry of history) {
    const table = entry.field ? REFERENCE_FIELDS[entry.field as keyof typeof REFERENCE_FIELDS] : undefined;
    if (table) wanted[table].push(entry.old_value, entry.new_value);
  }
  const [userRows, groupRows, organisationRows, peopleRows, contractRows] = await Promise.all([
    ids(wanted.users).length ? s.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', s.tenantId).where('id', 'in', ids(wanted.users)).execute() : [],
    ids(wanted.groups).length ? s.selectFrom('support_groups').select(['id', 'name', 'level']).where('id', 'in', ids(wanted.groups)).execute() : [],
    ids(wanted.organisations).length ? s.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids(wanted.organisations)).execute() : [],
    ids(wanted.people).length ? s.selectFrom('people').select(['id', 'name', 'email']).where('id', 'in', ids(wanted.people)).execute() : [],
    ids(wanted.contracts).length ? s.selectFrom('contracts').select(['id', 'name', 'number']).where('id', 'in', ids(wanted.contracts)).execute() : [],
  ]);
  const names: NameBook = {
    users: new Map(userRows.map((r) => [r.id, r.name])),
    groups: new Map(groupRows.map((r) => [r.id, { name: r.name, level: r.level }])),
    organisations: new Map(organisationRows.map((r) => [r.id, r.name])),
    people: new Map(peopleRows.map((r) => [r.id, { name: r.name, email: r.email }])),
    contracts: new Map(contractRows.map((r) => [r.id, { name: r.name, number: r.number }])),
  };

  // The current choices stay selectable even when they fall outside the option lists (inactive, beyond the limit).
  const peopleOptions = [...people];
  if (ticket.requester_id && orgId === ticket.organisation_id && !peopleOptions.some((p) => p.id === ticket.requester_id)) {
    const person = names.people.get(ticket.requester_id);
    peopleOptions.unshift({ id: ticket.requester_id, name: person?.name ?? `#${ticket.requester_id}`, email: person?.email ?? null });
  }
  const categoryNames = categories.map((r) => r.name);
  if (ticket.category && !categoryNames.includes(ticket.category)) categoryNames.unshift(ticket.category);

  return {
    ticket, articles, attachments, history, names,
    fields: definitions,
    options: {
      categories: categoryNames, people: peopleOptions, contracts, groups, agents,
      macros: macros.map((m) => ({ id: m.id, name: m.name, shared: m.user_id === null })),
    },
  };
}

/** The name for an id a ticket or history entry refers to, by the column it came from. */
export function referenceName(names: NameBook, field: string, value: string | number | null): string | undefined {
  if (value === null || value === '') return undefined;
  const id = Number(value);
  switch (REFERENCE_FIELDS[field as keyof typeof REFERENCE_FIELDS]) {
    case 'users': return names.users.get(id);
    case 'groups': return names.groups.get(id)?.name;
    case 'organisations': return names.organisations.get(id);
    case 'people': return names.people.get(id)?.name;
    case 'contracts': { const contract = names.contracts.get(id); return contract ? `${contract.name} (${contract.number})` : undefined; }
    default: return undefined;
  }
}

export const isReferenceField = (field: string | null) => field !== null && field in REFERENCE_FIELDS;
