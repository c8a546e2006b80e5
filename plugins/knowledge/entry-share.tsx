import type { Context, Hono } from 'hono';
import { DomainError, SelectField, flash, href, postToTimeline, redirectTo, requirePermission, tenantOf, type AppEnv, type FieldErrors } from '../../core/plugin-api.js';
import { actorOf } from './actor.js';
import type { EntryDetail } from './entry-store.js';

type Audience = 'staff' | 'everyone' | 'organisations';

/**
 * Who may read an entry shared on the timeline: never more than may read the entry. Staff always; customers only
 * for a published entry (everyone for a public or customers' entry, the entry's organisations for theirs).
 */
export function shareAudiences(entry: Pick<EntryDetail, 'visibility' | 'state'>): Audience[] {
  if (entry.state !== 'published') return ['staff'];
  if (entry.visibility === 'public' || entry.visibility === 'customers') return ['staff', 'everyone'];
  if (entry.visibility === 'organisations') return ['staff', 'organisations'];
  return ['staff'];
}

/** The post's text: a KB entry's cause, solution and steps, another entry's body; within the timeline's 10,000 characters. */
function postBody(entry: EntryDetail): string {
  const text = [entry.cause, entry.body, entry.steps].map((part) => part.trim()).filter(Boolean).join('\n\n');
  return (text || entry.title).slice(0, 10_000);
}

/** The small form on the entry page (staff who may post to the timeline). */
export function ShareForm(props: { c: Context<AppEnv>; entry: EntryDetail; errors?: FieldErrors | undefined }) {
  const { c, entry } = props;
  const t = c.var.t;
  return (
    <form method="post" action={href(c, `/p/knowledge/entries/${entry.id}/share`)} class="card stack knowledge-share-form" id="knowledge-share">
      <h2>{t('knowledge.share.title')}</h2>
      <SelectField name="audience" label={t('knowledge.share.audience')} value="staff" errors={props.errors}
        options={shareAudiences(entry).map((audience) => ({ value: audience, label: t(`knowledge.share.audience.${audience}`) }))} />
      <div><button type="submit" class="button" id="knowledge-share-submit">{t('knowledge.share.submit')}</button></div>
    </form>
  );
}

/** POST /p/knowledge/entries/:id/share: posts the entry as a shared solution through core's postToTimeline seam. */
export function shareRoutes(app: Hono<AppEnv>, load: (c: Context<AppEnv>, id: number) => Promise<EntryDetail>, refuse: (c: Context<AppEnv>, id: number, errors: FieldErrors) => Promise<Response>): void {
  app.post('/entries/:id{[0-9]+}/share', requirePermission('knowledge.view'), requirePermission('timeline.post'), async (c) => {
    const id = Number(c.req.param('id'));
    const entry = await load(c, id);
    const chosen = (await c.req.parseBody()).audience;
    const audience = shareAudiences(entry).find((a) => a === chosen);
    if (!audience) return refuse(c, id, { audience: c.var.t('knowledge.share.audienceRefused') });
    const actor = actorOf(c);
    try {
      await postToTimeline(c.var.services, tenantOf(c).id, {
        kind: 'solution', title: c.var.t('knowledge.share.postTitle', { title: entry.title }).slice(0, 200), body: postBody(entry), audience,
        organisationIds: audience === 'organisations' ? entry.organisations.map((o) => o.id) : undefined,
        link: audience === 'staff' ? `/p/knowledge/entries/${entry.id}` : `/portal/kb/${entry.id}`,
        author: { userId: actor.id, label: actor.label },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return refuse(c, id, { audience: c.var.t('knowledge.share.audienceRefused') });
    }
    flash(c, 'success', c.var.t('knowledge.share.done'));
    return redirectTo(c, href(c, `/p/knowledge/entries/${entry.id}`));
  });
}
