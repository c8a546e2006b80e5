import { z } from 'zod';
import { DomainError, invalidFields, pluginScope, type Services, type TicketActor, type TicketService, type TenantScope } from '../../core/plugin-api.js';
import { IDEA_STATUSES, type IdeaStatus, type IdeasDB } from './ideas-db.js';
import { submitterShown, type Viewer } from './viewer.js';

export const TITLE_MAX = 200;
export const TEXT_MAX = 10_000;
export const PAGE_SIZE = 20;
export const SORTS = ['newest', 'liked', 'trending', 'discussed'] as const;
export type Sort = (typeof SORTS)[number];

/** The create form's fields (`p.ideas.*`): the agent's create form and the plugin's own forms send them. */
export const FIELD = { kind: 'p.ideas.kind', benefit: 'p.ideas.benefit', anonymous: 'p.ideas.anonymous', portal: 'p.ideas.portal' } as const;

const flag = z.union([z.boolean(), z.literal('1').transform(() => true), z.literal('on').transform(() => true), z.literal('').transform(() => false)]).default(false);
export const proposalSchema = z.object({
  title: z.string('ideas.error.required').trim().min(1, 'ideas.error.required').max(TITLE_MAX, 'ideas.error.tooLong'),
  description: z.string('ideas.error.required').trim().min(1, 'ideas.error.required').max(TEXT_MAX, 'ideas.error.tooLong'),
  benefit: z.string().trim().max(TEXT_MAX, 'ideas.error.tooLong').default(''),
  anonymous: flag,
  portal: flag,
  category: z.string().trim().max(120).default(''),
});
export type ProposalInput = z.input<typeof proposalSchema>;

export function checked<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message.startsWith('ideas.') ? issue.message : 'ideas.error.invalid';
  throw invalidFields('error.invalid', fields);
}

const COLUMNS = [
  'p.id', 'p.ticket_id', 'p.title', 'p.benefit', 'p.anonymous', 'p.portal_visible', 'p.submitter_user_id', 'p.submitter_person_id', 'p.submitter_label',
  'p.status', 'p.decline_reason', 'p.duplicate_of', 'p.likes_count', 'p.comments_count', 'p.trend_score', 'p.kb_entry_id', 'p.accepted_at', 'p.status_at', 'p.created_at',
  't.number', 't.category', 't.description',
] as const;

const select = (scope: TenantScope<IdeasDB>) => scope.selectFrom('ideas_proposals as p').innerJoin('tickets as t', 't.id', 'p.ticket_id').select(COLUMNS).where('t.deleted_at', 'is', null);
type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;

/** A proposal as one viewer sees it: `submitter` null when it is hidden from them ("anonymous"). */
export type Proposal = Omit<Row, 'submitter_label' | 'submitter_user_id' | 'submitter_person_id'> & { submitter: string | null; liked: boolean; own: boolean };

export interface BoardQuery { status?: IdeaStatus | undefined; topic?: string | undefined; q?: string | undefined; sort?: Sort | undefined; page?: number | undefined }

/** What a viewer may see: portal people only the proposals shown in the portal (and their own). */
function visible(viewer: Viewer, query: ReturnType<typeof select>) {
  if (viewer.userId !== null) return query;
  return query.where((eb) => eb.or([eb('p.portal_visible', '=', 1), eb('p.submitter_person_id', '=', viewer.personId)]));
}

export function proposalStore(services: Services, tenantId: number) {
  const scope = pluginScope<IdeasDB>(services.db, tenantId);

  async function shape(viewer: Viewer, rows: Row[]): Promise<Proposal[]> {
    const voter = viewer.userId !== null ? `u:${viewer.userId}` : `p:${viewer.personId}`;
    const liked = rows.length
      ? new Set((await scope.selectFrom('ideas_likes').select('proposal_id').where('voter', '=', voter).where('proposal_id', 'in', rows.map((r) => r.id)).execute()).map((r) => r.proposal_id))
      : new Set<number>();
    return rows.map(({ submitter_label, submitter_user_id, submitter_person_id, ...row }) => ({
      ...row,
      trend_score: Number(row.trend_score),
      submitter: submitterShown(viewer, { anonymous: row.anonymous, submitter_label, submitter_user_id, submitter_person_id }),
      liked: liked.has(row.id),
      own: (viewer.userId !== null && viewer.userId === submitter_user_id) || (viewer.personId !== null && viewer.personId === submitter_person_id),
    }));
  }

  return {
    /**
     * A proposal is a core ticket: created through the ticket service (number, history, group), with the
     * plugin's fields; the TICKET_CREATED filter writes the proposal's row in the same transaction.
     */
    async submit(tickets: TicketService, actor: TicketActor, input: ProposalInput, options: { groupId: number | null; anonymousLabel: string; requesterId?: number | undefined }) {
      const data = checked(proposalSchema, input);
      const fields: Record<string, string> = { [FIELD.kind]: '1', [FIELD.benefit]: data.benefit, [FIELD.anonymous]: data.anonymous ? '1' : '', [FIELD.portal]: data.portal ? '1' : '' };
      // An anonymous proposal's ticket history names no one but "anonymous".
      const shownActor = data.anonymous ? { ...actor, label: options.anonymousLabel } : actor;
      const ticket = await tickets.create({
        subject: data.title, description: data.description, channel: 'web', groupId: options.groupId, category: data.category || null,
        requesterId: options.requesterId, pluginFields: fields,
      }, shownActor);
      const row = await scope.selectFrom('ideas_proposals').select('id').where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow();
      return { id: row.id, number: ticket.number };
    },

    async get(viewer: Viewer, id: number): Promise<Proposal> {
      const row = await visible(viewer, select(scope)).where('p.id', '=', id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'error.notFound');
      return (await shape(viewer, [row]))[0]!;
    },

    /** The board: one small page, walking the sort's index (no count per row: the counters are columns). */
    async board(viewer: Viewer, query: BoardQuery): Promise<{ rows: Proposal[]; more: boolean }> {
      let q = visible(viewer, select(scope));
      if (query.status) q = q.where('p.status', '=', query.status);
      if (query.topic) q = q.where('t.category', '=', query.topic);
      const text = query.q?.trim().toLowerCase();
      if (text) q = q.where('p.search_text', 'like', `%${text.replace(/[\\%_]/g, '')}%`);
      const sort = query.sort ?? 'newest';
      const column = ({ newest: 'p.created_at', liked: 'p.likes_count', trending: 'p.trend_score', discussed: 'p.comments_count' } as const)[sort];
      const page = query.page ?? 1;
      const rows = await q.orderBy(column, 'desc').orderBy('p.id', 'desc').limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE).execute();
      return { rows: await shape(viewer, rows.slice(0, PAGE_SIZE)), more: rows.length > PAGE_SIZE };
    },

    /** The topics on offer: the tenant's active ticket categories. */
    async topics(): Promise<string[]> {
      return (await scope.selectFrom('ticket_categories').select('name').where('active', '=', 1).orderBy('position').orderBy('name').execute()).map((r) => r.name);
    },

    /** The submitter (a manager may change title, benefit, visibility): only their own fields, not the status. */
    async update(viewer: Viewer, id: number, patch: { title?: string | undefined; benefit?: string | undefined; portal?: boolean | undefined }): Promise<Proposal> {
      const current = await this.get(viewer, id);
      if (!viewer.manager && !current.own) throw new DomainError('forbidden', 'error.forbidden');
      const data = checked(z.object({
        title: proposalSchema.shape.title.optional(), benefit: proposalSchema.shape.benefit.optional(), portal: z.boolean().optional(),
      }), patch);
      const set: Record<string, unknown> = {};
      if (data.title !== undefined) Object.assign(set, { title: data.title, search_text: `${data.title}\n${current.description}`.toLowerCase() });
      if (data.benefit !== undefined) set.benefit = data.benefit;
      if (data.portal !== undefined) set.portal_visible = data.portal ? 1 : 0;
      if (Object.keys(set).length) await scope.updateTable('ideas_proposals').set(set).where('id', '=', id).execute();
      return this.get(viewer, id);
    },
  };
}

export const isStatus = (value: unknown): value is IdeaStatus => typeof value === 'string' && (IDEA_STATUSES as readonly string[]).includes(value);
