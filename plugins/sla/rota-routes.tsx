import type { Hono } from 'hono';
import {
  FormError, LinkError, SelectField, TextField, flash, href, isoToZoned, redirectTo, render, requirePermission, staff, tenantOf, Page, type AppEnv, type SlotContext,
} from '../../core/plugin-api.js';
import { MANAGE, actorOf, adminPage, attempt, fieldMessages, refusalStatus, type Ctx } from './admin-page.js';
import { rotaStore, type OverrideInput, type RotaInput, type RotaRow } from './rota-store.js';
import { ROTA_WEEKDAYS, icalFeed, shifts, type Shift } from './rota-time.js';
import { VIEW } from './ticket-views.js';

const DAY = 86_400_000;
/** A feed link lasts a year; a new one is shown every time the page is opened. */
const FEED_SECONDS = 366 * 86_400;
const store = (c: Ctx) => rotaStore(c.var.services, tenantOf(c).id);
const idOf = (c: Ctx) => Number(c.req.param('id'));
const wall = (at: number, zone: string) => (Number.isFinite(at) ? isoToZoned(new Date(at).toISOString(), zone).replace('T', ' ') : '…');

async function rotaInput(c: Ctx): Promise<RotaInput> {
  const form = await c.req.parseBody({ all: true });
  const text = (name: string) => String([form[name]].flat()[0] ?? '');
  const list = (name: string) => [form[name] ?? []].flat().map(String);
  return { name: text('name'), zone: text('zone'), freq: text('freq'), interval: text('interval'), byDay: list('byDay'), handover: text('handover'), startDate: text('startDate'), participants: list('participants') };
}

const inputOf = (row: RotaRow): RotaInput => ({
  name: row.name, zone: row.time_zone, freq: row.freq, interval: String(row.interval), byDay: row.by_day ? row.by_day.split(',') : [], handover: row.handover,
  startDate: row.start_date, participants: (JSON.parse(row.participants) as number[]).map(String),
});

/** On-call rotas under /p/sla/rotas (admins set up; agents see the next 14 days), "my on-call times" and the signed iCal feed. */
export function rotaRoutes(app: Hono<AppEnv>): void {
  app.get('/rotas', requirePermission(MANAGE), (c) => rotasPage(c, null));
  app.post('/rotas', requirePermission(MANAGE), async (c) => {
    const input = await rotaInput(c);
    let id = 0;
    const refused = await attempt(async () => { id = await store(c).save(null, input, actorOf(c)); });
    if (refused) return rotasPage(c, null, input, fieldMessages(c, refused.fields), refusalStatus(refused));
    flash(c, 'success', c.var.t('sla.rota.saved'));
    return redirectTo(c, href(c, `/p/sla/rotas/${id}`));
  });
  app.get('/rotas/:id{[0-9]+}', requirePermission(VIEW), async (c) => rotasPage(c, (await store(c).get(idOf(c))).id));
  app.post('/rotas/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const input = await rotaInput(c);
    const refused = await attempt(() => store(c).save(idOf(c), input, actorOf(c)));
    if (refused) return rotasPage(c, idOf(c), input, fieldMessages(c, refused.fields), refusalStatus(refused));
    flash(c, 'success', c.var.t('sla.rota.saved'));
    return redirectTo(c, href(c, `/p/sla/rotas/${idOf(c)}`));
  });
  app.post('/rotas/:id{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    await store(c).remove(idOf(c), actorOf(c));
    flash(c, 'success', c.var.t('sla.rota.deleted'));
    return redirectTo(c, href(c, '/p/sla/rotas'));
  });
  app.post('/rotas/:id{[0-9]+}/overrides', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const form = await c.req.parseBody();
    const input: OverrideInput = { userId: String(form.userId ?? ''), from: String(form.from ?? ''), until: String(form.until ?? '') };
    const refused = await attempt(() => store(c).addOverride(idOf(c), input, actorOf(c)));
    if (refused) return rotasPage(c, idOf(c), undefined, {}, 422, { input, errors: fieldMessages(c, refused.fields) });
    flash(c, 'success', c.var.t('sla.rota.override.saved'));
    return redirectTo(c, href(c, `/p/sla/rotas/${idOf(c)}`));
  });
  app.post('/rotas/:id{[0-9]+}/overrides/:override{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    await store(c).removeOverride(idOf(c), Number(c.req.param('override')), actorOf(c));
    flash(c, 'success', c.var.t('sla.rota.override.deleted'));
    return redirectTo(c, href(c, `/p/sla/rotas/${idOf(c)}`));
  });
  app.get('/on-call', requirePermission(VIEW), (c) => myOnCallPage(c));
}

/**
 * The on-call iCal feed, mounted with the portal's routes (no staff session: a calendar app fetches it), at
 * /portal/sla/on-call/<token>.ics; only the signed link for this tenant and person opens it.
 */
export function rotaFeedRoutes(app: Hono<AppEnv>): void {
  app.get('/sla/on-call/:token', async (c) => {
    const tenant = tenantOf(c);
    let userId: number;
    try {
      const claims = await c.var.services.links.verify(c.req.param('token').replace(/\.ics$/, ''), 'calendar-feed');
      if (claims.tenantId !== tenant.id || claims.extra.feed !== 'sla.on-call') throw new LinkError('invalid');
      userId = Number(claims.subject);
    } catch (error) {
      if (error instanceof LinkError) return c.text(c.var.t('sla.oncall.linkInvalid'), 404);
      throw error;
    }
    const user = await c.var.services.db.selectFrom('users').select(['name']).where('tenant_id', '=', tenant.id).where('id', '=', userId).where('active', '=', 1).executeTakeFirst();
    if (!user) return c.text(c.var.t('sla.oncall.linkInvalid'), 404);
    const now = c.var.services.clock().getTime();
    const mine = await myShifts(c, userId, now - 7 * DAY, now + 90 * DAY);
    const body = icalFeed({ calendarName: c.var.t('sla.oncall.feedName', { name: user.name }), userId, rotas: mine.map(({ row, list }) => ({ rotaId: row.id, rotaName: row.name, shifts: list })), now });
    return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
  });
}

/** Each rota's shifts of one person over [from, until). */
async function myShifts(c: Ctx, userId: number, from: number, until: number): Promise<Array<{ row: RotaRow; list: Shift[] }>> {
  const rotas = await store(c).list();
  const result: Array<{ row: RotaRow; list: Shift[] }> = [];
  for (const row of rotas) {
    const { rota, overrides } = await store(c).load(row.id, from);
    result.push({ row, list: shifts(rota, overrides, from, until).filter((s) => s.userId === userId) });
  }
  return result;
}

/** The USER_MENU entry for staff who may see the clocks. */
export function MyOnCallLink(ctx: SlotContext<Record<string, never>>) {
  return ctx.can(VIEW) ? <a href={ctx.href('/p/sla/on-call')} id="sla-my-on-call">{ctx.t('sla.oncall.mine')}</a> : null;
}

async function myOnCallPage(c: Ctx) {
  const t = c.var.t;
  const user = staff(c);
  const now = c.var.services.clock().getTime();
  const mine = (await myShifts(c, user.id, now, now + 14 * DAY)).filter((entry) => entry.list.length);
  const token = await c.var.services.links.sign({ purpose: 'calendar-feed', subject: String(user.id), tenantId: tenantOf(c).id, ttlSeconds: FEED_SECONDS, extra: { feed: 'sla.on-call' }, stable: true });
  const feed = href(c, `/portal/sla/on-call/${token}.ics`);
  return render(c, {
    title: t('sla.oncall.mine'),
    page: (
      <Page title={t('sla.oncall.mine')}>
        <div class="stack">
          {mine.length ? mine.map(({ row, list }) => (
            <section class="card stack"><h2>{row.name}</h2>
              <ul class="sla-list">{list.map((s) => <li>{wall(s.from, row.time_zone)} – {wall(s.until, row.time_zone)}</li>)}</ul>
            </section>
          )) : <p class="muted" id="sla-on-call-none">{t('sla.oncall.mine.none')}</p>}
          <p><a href={feed} id="sla-on-call-feed">{t('sla.oncall.feed')}</a></p>
          <p class="muted">{t('sla.oncall.feed.hint')}</p>
        </div>
      </Page>
    ),
  });
}

/** The list of rotas and the form for a new one, or one rota: its next 14 days, its overrides and (admins) its forms. */
async function rotasPage(c: Ctx, editing: number | null, values?: RotaInput, errors: Record<string, string> = {}, status?: 409 | 422, override?: { input: OverrideInput; errors: Record<string, string> }) {
  const t = c.var.t;
  const rotas = await store(c).list();
  const users = await store(c).staffUsers();
  const names = new Map(users.map((u) => [u.id, u.name]));
  const current = editing === null ? undefined : rotas.find((r) => r.id === editing);
  const form: RotaInput = values ?? (current ? inputOf(current) : { name: '', zone: tenantOf(c).time_zone, freq: 'WEEKLY', interval: '1', byDay: ['MO'], handover: '09:00', startDate: isoToZoned(c.var.services.clock().toISOString(), tenantOf(c).time_zone).slice(0, 10), participants: [] });
  const manage = c.var.can(MANAGE);
  const now = c.var.services.clock().getTime();
  let schedule: Shift[] = [];
  let overrides: Array<{ id: number; user_id: number; from_at: string; until_at: string }> = [];
  if (current) {
    const loaded = await store(c).load(current.id, now);
    schedule = shifts(loaded.rota, loaded.overrides, now, now + 14 * DAY);
    overrides = await store(c).listOverrides(current.id);
  }
  const ordered = [...form.participants.map(Number).filter((id) => names.has(id)), ...users.map((u) => u.id).filter((id) => !form.participants.includes(String(id)))];
  const check = (name: string, value: string, label: string, checked: boolean, index: number) => (
    <div class="field field-check"><input type="checkbox" id={`f-${name}-${index}`} name={name} value={value} checked={checked} /><label for={`f-${name}-${index}`}>{label}</label></div>
  );
  const fieldError = (name: string) => (errors[name] ? <small id={`${name}-error`} class="field-error">{errors[name]}</small> : null);
  const action = editing === null ? '/p/sla/rotas' : `/p/sla/rotas/${editing}`;
  const body = (
    <div class="stack sla-admin">
      {editing === null ? (rotas.length ? <ul class="sla-list" id="sla-rotas">{rotas.map((r) => <li><a href={href(c, `/p/sla/rotas/${r.id}`)}>{r.name}</a></li>)}</ul> : <p class="muted">{t('sla.rotas.none')}</p>) : null}
      {current ? (
        <section class="card stack" id="sla-rota-schedule">
          <h2>{t('sla.rota.next14')}</h2>
          {schedule.length ? <ul class="sla-list">{schedule.map((s) => (
            <li><span>{wall(s.from, current.time_zone)} – {wall(s.until, current.time_zone)}</span><strong>{names.get(s.userId) ?? '?'}{s.override ? ` (${t('sla.rota.override.mark')})` : ''}</strong></li>
          ))}</ul> : <p class="muted">{t('sla.rota.nobody')}</p>}
        </section>
      ) : null}
      {current ? (
        <section class="card stack" id="sla-rota-overrides">
          <h2>{t('sla.rota.overrides')}</h2>
          <ul class="sla-list">{overrides.map((o) => (
            <li><span>{wall(Date.parse(o.from_at), current.time_zone)} – {wall(Date.parse(o.until_at), current.time_zone)}: {names.get(o.user_id) ?? '?'}</span>
              {manage ? <form method="post" action={href(c, `/p/sla/rotas/${current.id}/overrides/${o.id}/delete`)} class="sla-inline"><button type="submit" class="button-danger">{t('sla.rota.override.delete')}</button></form> : null}</li>
          ))}</ul>
          {manage ? (
            <form method="post" action={href(c, `/p/sla/rotas/${current.id}/overrides`)} class="stack" id="sla-override-form">
              <FormError message={override ? t('error.invalid') : undefined} />
              <SelectField name="userId" label={t('sla.rota.override.person')} value={override?.input.userId} errors={override?.errors} options={users.map((u) => ({ value: u.id, label: u.name }))} />
              <label class="field" for="f-from">{t('sla.rota.override.from')}<input type="datetime-local" id="f-from" name="from" value={override?.input.from ?? ''} /></label>
              {override?.errors.from ? <small class="field-error">{override.errors.from}</small> : null}
              <label class="field" for="f-until">{t('sla.rota.override.until')}<input type="datetime-local" id="f-until" name="until" value={override?.input.until ?? ''} /></label>
              {override?.errors.until ? <small class="field-error">{override.errors.until}</small> : null}
              <div><button type="submit" class="button-primary" id="sla-override-save">{t('sla.rota.override.add')}</button></div>
            </form>
          ) : null}
        </section>
      ) : null}
      {manage ? (
        <form method="post" action={href(c, action)} class="card stack" id="sla-rota-form">
          <h2>{editing === null ? t('sla.rota.new') : t('sla.rota.edit')}</h2>
          <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
          <TextField name="name" label={t('sla.field.name')} value={form.name} errors={errors} maxlength={120} />
          <TextField name="zone" label={t('sla.calendar.zone')} value={form.zone} errors={errors} hint={t('sla.calendar.zone.hint')} />
          <SelectField name="freq" label={t('sla.rota.freq')} value={form.freq} errors={errors} options={['DAILY', 'WEEKLY'].map((f) => ({ value: f, label: t(`sla.rota.freq.${f}`) }))} />
          <TextField name="interval" label={t('sla.rota.interval')} value={form.interval} errors={errors} maxlength={2} />
          <fieldset class="sla-hours"><legend>{t('sla.rota.byDay')}</legend>{ROTA_WEEKDAYS.map((d, i) => check('byDay', d, d, form.byDay.includes(d), i))}{fieldError('byDay')}</fieldset>
          <TextField name="handover" label={t('sla.rota.handover')} value={form.handover} errors={errors} maxlength={5} />
          <TextField name="startDate" label={t('sla.rota.start')} value={form.startDate} errors={errors} type="date" />
          <fieldset class={`sla-hours${errors.participants ? ' field-invalid' : ''}`}><legend>{t('sla.rota.participants')}</legend>
            <p class="muted">{t('sla.rota.participants.hint')}</p>
            {ordered.map((id, i) => check('participants', String(id), names.get(id) ?? String(id), form.participants.includes(String(id)), i))}{fieldError('participants')}</fieldset>
          <div><button type="submit" class="button-primary" id="sla-rota-save">{t('common.save')}</button></div>
        </form>
      ) : null}
      {manage && editing !== null ? <form method="post" action={href(c, `/p/sla/rotas/${editing}/delete`)}><button type="submit" class="button-danger" id="sla-rota-delete">{t('sla.rota.delete')}</button></form> : null}
    </div>
  );
  return adminPage(c, current ? current.name : t('sla.rotas'), body, { ...(status ? { status } : {}), ...(current ? { crumbs: [{ label: t('sla.rotas'), href: href(c, '/p/sla/rotas') }] } : {}) });
}
