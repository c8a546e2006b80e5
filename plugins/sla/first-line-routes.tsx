import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { FormError, SelectField, TextField, flash, href, pluginScope, redirectTo, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { MANAGE, actorOf, attempt, fieldMessages, type Ctx } from './admin-page.js';
import type { FirstLineInput } from './first-line-store.js';
import { levelStore } from './level-store.js';

async function firstLineInput(c: Ctx): Promise<FirstLineInput> {
  const form = await c.req.parseBody();
  return { minutes: String(form.firstLineMinutes ?? ''), groupId: String(form.firstLineGroupId ?? ''), forwardGroupId: String(form.firstLineForwardGroupId ?? '') };
}

/** POST /p/sla/levels/:id/first-line (admins): the level's first-line time box; refusals at the fields on the level's page. */
export function firstLineRoutes(app: Hono<AppEnv>, levelPage: (c: Ctx, levelId: number, firstLine: { input: FirstLineInput; errors: Record<string, string> }) => Promise<Response>): void {
  app.post('/levels/:id{[0-9]+}/first-line', requirePermission(MANAGE), async (c) => {
    const levelId = Number(c.req.param('id'));
    const store = levelStore(c.var.services, tenantOf(c).id);
    await store.get(levelId);
    const input = await firstLineInput(c);
    const refused = await attempt(() => store.setFirstLine(levelId, input, actorOf(c)));
    if (refused) return levelPage(c, levelId, { input, errors: fieldMessages(c, refused.fields) });
    flash(c, 'success', c.var.t('sla.firstLine.saved'));
    return redirectTo(c, href(c, `/p/sla/levels/${levelId}#sla-first-line`));
  });
}

/** The level page's section: minutes after acceptance (empty: off), the first-line group, and where a ticket goes when the time is up. */
export async function FirstLineSection(props: { c: Ctx; levelId: number; input?: FirstLineInput | undefined; errors?: Record<string, string> | undefined }): Promise<Child> {
  const { c, levelId } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  const stored = await levelStore(c.var.services, tenantOf(c).id).firstLine(levelId);
  const form: FirstLineInput = props.input ?? {
    minutes: stored.first_line_minutes ? String(stored.first_line_minutes) : '', groupId: stored.first_line_group_id ? String(stored.first_line_group_id) : '',
    forwardGroupId: stored.first_line_forward_group_id ? String(stored.first_line_forward_group_id) : '',
  };
  const groups = (await pluginScope(c.var.services.db, tenantOf(c).id).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute())
    .map((g) => ({ value: g.id, label: g.name }));
  return (
    <form method="post" action={href(c, `/p/sla/levels/${levelId}/first-line`)} class="card stack" id="sla-first-line">
      <h2>{t('sla.firstLine')}</h2>
      <p class="muted">{t('sla.firstLine.hint')}</p>
      <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
      <TextField name="firstLineMinutes" label={t('sla.firstLine.minutes')} value={form.minutes} errors={errors} maxlength={5} />
      <SelectField name="firstLineGroupId" label={t('sla.firstLine.group')} value={form.groupId} errors={errors} empty={t('sla.firstLine.group.none')} options={groups} />
      <SelectField name="firstLineForwardGroupId" label={t('sla.firstLine.forward')} value={form.forwardGroupId} errors={errors} empty={t('sla.firstLine.forward.none')} options={groups} />
      <div><button type="submit" class="button-primary" id="sla-first-line-save">{t('common.save')}</button></div>
    </form>
  );
}
