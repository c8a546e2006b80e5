import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { FormError, SelectField, TextField, flash, href, pluginScope, redirectTo, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { MANAGE, actorOf, attempt, fieldMessages, type Ctx } from './admin-page.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { OFFSET_KINDS, RECIPIENTS, type PointInput } from './escalation-points.js';
import { escalationStore, type PointRow } from './escalation-store.js';
import { rotaStore } from './rota-store.js';
import { CLOCK_KINDS } from './ticket-clocks.js';

const store = (c: Ctx) => escalationStore(c.var.services, tenantOf(c).id);

async function pointInput(c: Ctx): Promise<PointInput> {
  const form = await c.req.parseBody({ all: true });
  const text = (name: string) => String([form[name]].flat()[0] ?? '');
  const list = (name: string) => [form[name] ?? []].flat().map(String);
  return {
    clock: text('clock'), offsetKind: text('offsetKind'), offsetValue: text('offsetValue'), notify: text('notify') === '1', email: text('email') === '1',
    recipients: list('recipients'), raisePriority: text('raisePriority') === '1', forwardGroupId: text('forwardGroupId'), outsideHours: text('outsideHours') === '1', rotaId: text('rotaId'),
  };
}

/** The escalation point routes under /p/sla/levels/:id/points (admins); the form lives on the level's page. */
export function escalationRoutes(app: Hono<AppEnv>, levelPage: (c: Ctx, levelId: number, points?: { input: PointInput; errors: Record<string, string> }) => Promise<Response>): void {
  app.post('/levels/:id{[0-9]+}/points', requirePermission(MANAGE), async (c) => {
    const levelId = Number(c.req.param('id'));
    const input = await pointInput(c);
    const refused = await attempt(() => store(c).add(levelId, input, actorOf(c)));
    if (refused) return levelPage(c, levelId, { input, errors: fieldMessages(c, refused.fields) });
    flash(c, 'success', c.var.t('sla.esc.point.saved'));
    return redirectTo(c, href(c, `/p/sla/levels/${levelId}#sla-points`));
  });
  app.post('/levels/:id{[0-9]+}/points/:point{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    const levelId = Number(c.req.param('id'));
    await store(c).remove(levelId, Number(c.req.param('point')), actorOf(c));
    flash(c, 'success', c.var.t('sla.esc.point.deleted'));
    return redirectTo(c, href(c, `/p/sla/levels/${levelId}#sla-points`));
  });
}

/** How a point reads in the list: "first response · at 75 % of the time · notification to assignee, group". */
function describe(c: Ctx, point: PointRow, groups: Map<number, string>, rotas: Map<number, string>): string {
  const t = c.var.t;
  const when = point.offset_kind === 'minutes' && point.offset_value === 0 ? t('sla.esc.at.due') : t(`sla.esc.at.${point.offset_kind}`, { value: point.offset_value });
  const to = point.recipients.split(',').filter(Boolean).map((r) => t(`sla.esc.recipient.${r}`)).join(', ');
  const actions = [
    point.notify ? `${t('sla.esc.notify')} → ${to}` : '', point.email ? `${t('sla.esc.email')} → ${to}` : '', point.raise_priority ? t('sla.esc.raise') : '',
    point.forward_group_id ? `${t('sla.esc.forward')}: ${groups.get(point.forward_group_id) ?? point.forward_group_id}` : '',
    point.outside_hours ? `${t('sla.esc.outside')}${point.rota_id ? ` (${rotas.get(point.rota_id) ?? ''})` : ''}` : '',
  ].filter(Boolean);
  return `${t(`sla.clock.${point.clock}`)} · ${when} · ${actions.join(' · ')}`;
}

const EMPTY: PointInput = { clock: 'first_response', offsetKind: 'percent', offsetValue: '75', notify: true, email: false, recipients: ['assignee'], raisePriority: false, forwardGroupId: '', outsideHours: false, rotaId: '' };

/** The level page's section: its points with delete buttons and the form for a new one (refusals at the fields). */
export async function EscalationSection(props: { c: Ctx; levelId: number; input?: PointInput | undefined; errors?: Record<string, string> | undefined }): Promise<Child> {
  const { c, levelId } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  const form = props.input ?? EMPTY;
  const points = await store(c).list(levelId);
  const groups = new Map((await pluginScope<SlaEscalationDB>(c.var.services.db, tenantOf(c).id).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute()).map((g) => [g.id, g.name]));
  const rotas = new Map((await rotaStore(c.var.services, tenantOf(c).id).list()).map((r) => [r.id, r.name]));
  const check = (name: string, value: string, label: string, checked: boolean, index = 0) => (
    <div class="field field-check"><input type="checkbox" id={`f-${name}-${index}`} name={name} value={value} checked={checked} /><label for={`f-${name}-${index}`}>{label}</label></div>
  );
  const fieldError = (name: string) => (errors[name] ? <small id={`${name}-error`} class="field-error">{errors[name]}</small> : null);
  return (
    <section class="card stack" id="sla-points">
      <h2>{t('sla.esc.points')}</h2>
      <p class="muted">{t('sla.esc.points.hint')}</p>
      {points.length ? (
        <ul class="sla-list" id="sla-point-list">{points.map((point) => (
          <li id={`sla-point-${point.id}`}>
            <span>{describe(c, point, groups, rotas)}</span>
            <form method="post" action={href(c, `/p/sla/levels/${levelId}/points/${point.id}/delete`)} class="sla-inline"><button type="submit" class="button-danger">{t('sla.esc.point.delete')}</button></form>
          </li>
        ))}</ul>
      ) : <p class="muted">{t('sla.esc.points.none')}</p>}
      <form method="post" action={href(c, `/p/sla/levels/${levelId}/points`)} class="stack" id="sla-point-form">
        <h3>{t('sla.esc.point.add')}</h3>
        <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
        <SelectField name="clock" label={t('sla.esc.clock')} value={form.clock} errors={errors} options={CLOCK_KINDS.map((kind) => ({ value: kind, label: t(`sla.clock.${kind}`) }))} />
        <div class="sla-point-when">
          <TextField name="offsetValue" label={t('sla.esc.offsetValue')} value={form.offsetValue} errors={errors} maxlength={6} />
          <SelectField name="offsetKind" label={t('sla.esc.offsetKind')} value={form.offsetKind} errors={errors} options={OFFSET_KINDS.map((kind) => ({ value: kind, label: t(`sla.esc.kind.${kind}`) }))} />
        </div>
        <fieldset class="sla-hours">
          <legend>{t('sla.esc.actions')}</legend>
          {check('notify', '1', t('sla.esc.notify'), form.notify)}
          {check('email', '1', t('sla.esc.email'), form.email)}
          {check('raisePriority', '1', t('sla.esc.raise'), form.raisePriority)}
          {fieldError('actions')}
        </fieldset>
        <fieldset class={`sla-hours${errors.recipients ? ' field-invalid' : ''}`}>
          <legend>{t('sla.esc.recipients')}</legend>
          {RECIPIENTS.map((r, i) => check('recipients', r, t(`sla.esc.recipient.${r}`), form.recipients.includes(r), i))}
          {fieldError('recipients')}
        </fieldset>
        <SelectField name="forwardGroupId" label={t('sla.esc.forward')} value={form.forwardGroupId} errors={errors} empty={t('sla.esc.forward.none')} options={[...groups].map(([id, name]) => ({ value: id, label: name }))} />
        {check('outsideHours', '1', t('sla.esc.outside'), form.outsideHours)}
        <SelectField name="rotaId" label={t('sla.esc.rota')} value={form.rotaId} errors={errors} empty={t('sla.esc.rota.none')} options={[...rotas].map(([id, name]) => ({ value: id, label: name }))} />
        <div><button type="submit" class="button-primary" id="sla-point-save">{t('sla.esc.point.add')}</button></div>
      </form>
    </section>
  );
}
