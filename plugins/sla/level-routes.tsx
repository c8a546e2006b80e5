import type { Hono } from 'hono';
import { FormError, SelectField, TextField, flash, href, priorityName, redirectTo, requirePermission, tenantOf, ticketSettings, type AppEnv } from '../../core/plugin-api.js';
import { MANAGE, actorOf, adminPage, attempt, fieldMessages, refusalStatus, type Ctx } from './admin-page.js';
import { calendarStore } from './calendar-store.js';
import { EscalationSection, escalationRoutes } from './escalation-routes.js';
import type { PointInput } from './escalation-points.js';
import { FirstLineSection, firstLineRoutes } from './first-line-routes.js';
import { RecomputeProgress } from './recompute-progress.js';
import type { FirstLineInput } from './first-line-store.js';
import { PRIORITY_NUMBERS, levelStore, parseTargets, targetField, type LevelInput } from './level-store.js';
import { CLOCK_KINDS } from './ticket-clocks.js';

const store = (c: Ctx) => levelStore(c.var.services, tenantOf(c).id);
const idOf = (c: Ctx) => Number(c.req.param('id'));

async function levelInput(c: Ctx): Promise<LevelInput> {
  const form = await c.req.parseBody();
  const targets: Record<string, string> = {};
  for (const kind of CLOCK_KINDS) for (const priority of PRIORITY_NUMBERS) targets[targetField(kind, priority)] = String(form[targetField(kind, priority)] ?? '');
  return { name: String(form.name ?? ''), calendarId: String(form.calendarId ?? ''), targets };
}

/** The service level pages under /p/sla/levels (admins): the list with a form for a new one, a level's page. */
export function levelRoutes(app: Hono<AppEnv>): void {
  app.get('/levels', requirePermission(MANAGE), (c) => levelsPage(c, null));
  app.post('/levels', requirePermission(MANAGE), async (c) => {
    const input = await levelInput(c);
    let id = 0;
    const refused = await attempt(async () => { id = await store(c).save(null, input, actorOf(c)); });
    if (refused) return levelsPage(c, null, input, fieldMessages(c, refused.fields), refusalStatus(refused));
    flash(c, 'success', c.var.t('sla.level.saved'));
    return redirectTo(c, href(c, `/p/sla/levels/${id}`));
  });
  app.get('/levels/:id{[0-9]+}', requirePermission(MANAGE), async (c) => levelsPage(c, (await store(c).get(idOf(c))).id));
  app.post('/levels/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const input = await levelInput(c);
    const refused = await attempt(() => store(c).save(idOf(c), input, actorOf(c)));
    if (refused) return levelsPage(c, idOf(c), input, fieldMessages(c, refused.fields), refusalStatus(refused));
    flash(c, 'success', c.var.t('sla.level.saved'));
    return redirectTo(c, href(c, `/p/sla/levels/${idOf(c)}`));
  });
  app.post('/levels/:id{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    await store(c).remove(idOf(c), actorOf(c));
    flash(c, 'success', c.var.t('sla.level.deleted'));
    return redirectTo(c, href(c, '/p/sla/levels'));
  });
  escalationRoutes(app, (c, levelId, points) => levelsPage(c, levelId, undefined, {}, 422, points));
  firstLineRoutes(app, (c, levelId, firstLine) => levelsPage(c, levelId, undefined, {}, 422, undefined, firstLine));
}

/** The list of levels and one form: a new level (`editing` null) or the level being edited. */
async function levelsPage(c: Ctx, editing: number | null, values?: LevelInput, errors: Record<string, string> = {}, status?: 409 | 422, points?: { input: PointInput; errors: Record<string, string> }, firstLine?: { input: FirstLineInput; errors: Record<string, string> }) {
  const t = c.var.t;
  const levels = await store(c).list();
  const calendars = await calendarStore(c.var.services, tenantOf(c).id).list();
  const settings = ticketSettings(tenantOf(c));
  const current = editing === null ? undefined : levels.find((level) => level.id === editing);
  let form: LevelInput = values ?? { name: '', calendarId: String(calendars[0]?.id ?? ''), targets: {} };
  if (!values && current) {
    const targets = parseTargets(current.targets);
    form = { name: current.name, calendarId: String(current.calendar_id), targets: Object.fromEntries(CLOCK_KINDS.flatMap((kind) => PRIORITY_NUMBERS.map((p) => [targetField(kind, p), String(targets[kind][p - 1] ?? '')]))) };
  }
  const action = editing === null ? '/p/sla/levels' : `/p/sla/levels/${editing}`;
  const pointsSection = editing !== null ? await EscalationSection({ c, levelId: editing, input: points?.input, errors: points?.errors }) : null;
  const firstLineSection = editing !== null ? await FirstLineSection({ c, levelId: editing, input: firstLine?.input, errors: firstLine?.errors }) : null;
  const progress = await RecomputeProgress({ c });
  const title = current ? current.name : t('sla.levels');
  return adminPage(c, title, (
    <div class="stack sla-admin">
      {progress}
      {editing === null ? (
        <div class="table-wrap">
          <table class="table" id="sla-levels">
            <thead><tr><th scope="col">{t('sla.field.name')}</th><th scope="col">{t('sla.calendar')}</th></tr></thead>
            <tbody>{levels.map((level) => (
              <tr><td><a href={href(c, `/p/sla/levels/${level.id}`)}>{level.name}</a></td><td>{calendars.find((cal) => cal.id === level.calendar_id)?.name ?? ''}</td></tr>
            ))}</tbody>
          </table>
          {levels.length === 0 ? <p class="muted">{t('sla.levels.none')}</p> : null}
        </div>
      ) : null}
      <form method="post" action={href(c, action)} class="card stack" id="sla-level-form">
        <h2>{editing === null ? t('sla.level.new') : t('sla.level.edit')}</h2>
        <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
        <TextField name="name" label={t('sla.field.name')} value={form.name} errors={errors} maxlength={120} />
        <SelectField name="calendarId" label={t('sla.calendar')} value={form.calendarId} errors={errors} options={calendars.map((cal) => ({ value: cal.id, label: cal.name }))} />
        <p class="muted">{t('sla.level.targets.hint')}</p>
        <div class="table-wrap">
          <table class="table sla-targets">
            <thead><tr><th scope="col">{t('sla.priority')}</th>{CLOCK_KINDS.map((kind) => <th scope="col">{t(`sla.clock.${kind}`)}</th>)}</tr></thead>
            <tbody>{PRIORITY_NUMBERS.map((priority) => (
              <tr>
                <th scope="row">{priorityName(settings, priority, t)}</th>
                {CLOCK_KINDS.map((kind) => (
                  <td><TextField name={targetField(kind, priority)} label={`${t(`sla.clock.${kind}`)} · ${priorityName(settings, priority, t)}`} value={form.targets[targetField(kind, priority)] ?? ''} errors={errors} /></td>
                ))}
              </tr>
            ))}</tbody>
          </table>
        </div>
        <div><button type="submit" class="button-primary" id="sla-level-save">{t('common.save')}</button></div>
      </form>
      {editing !== null ? <form method="post" action={href(c, `/p/sla/levels/${editing}/delete`)}><button type="submit" class="button-danger" id="sla-level-delete">{t('sla.level.delete')}</button></form> : null}
      {firstLineSection}
      {pointsSection}
    </div>
  ), { ...(status ? { status } : {}), ...(editing !== null ? { crumbs: [{ label: t('sla.levels'), href: href(c, '/p/sla/levels') }] } : {}) });
}
