import type { Hono } from 'hono';
import { RecomputeProgress } from './recompute-progress.js';
import { FormError, TextField, flash, href, redirectTo, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { MANAGE, actorOf, adminPage, attempt, fieldMessages, refusalStatus, type Ctx } from './admin-page.js';
import { WEEKDAYS, formatDayHours } from './business-calendar.js';
import { ICS_MAX_BYTES, calendarStore, parseHours, type CalendarInput, type HolidayInput } from './calendar-store.js';

const store = (c: Ctx) => calendarStore(c.var.services, tenantOf(c).id);
const idOf = (c: Ctx, name = 'id') => Number(c.req.param(name));

async function calendarInput(c: Ctx): Promise<CalendarInput> {
  const form = await c.req.parseBody();
  return {
    name: String(form.name ?? ''), zone: String(form.zone ?? ''),
    hours: Object.fromEntries(WEEKDAYS.map((day) => [String(day), String(form[`hours.${day}`] ?? '')])),
  };
}

/** The calendar pages under /p/sla/calendars (admins): the list with a form for a new one, a calendar with its holidays. */
export function calendarRoutes(app: Hono<AppEnv>): void {
  app.get('/calendars', requirePermission(MANAGE), (c) => listPage(c));
  app.post('/calendars', requirePermission(MANAGE), async (c) => {
    const input = await calendarInput(c);
    let id = 0;
    const refused = await attempt(async () => { id = await store(c).save(null, input, actorOf(c)); });
    if (refused) return listPage(c, input, fieldMessages(c, refused.fields), refusalStatus(refused));
    flash(c, 'success', c.var.t('sla.calendar.saved'));
    return redirectTo(c, href(c, `/p/sla/calendars/${id}`));
  });

  app.get('/calendars/:id{[0-9]+}', requirePermission(MANAGE), (c) => calendarPage(c));
  app.post('/calendars/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const input = await calendarInput(c);
    const refused = await attempt(() => store(c).save(idOf(c), input, actorOf(c)));
    if (refused) return calendarPage(c, { calendar: input, errors: fieldMessages(c, refused.fields), status: refusalStatus(refused) });
    flash(c, 'success', c.var.t('sla.calendar.saved'));
    return redirectTo(c, href(c, `/p/sla/calendars/${idOf(c)}`));
  });

  app.post('/calendars/:id{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    const refused = await attempt(() => store(c).remove(idOf(c), actorOf(c)));
    if (refused) return calendarPage(c, { errors: { _form: c.var.t(refused.message) }, status: refusalStatus(refused) });
    flash(c, 'success', c.var.t('sla.calendar.deleted'));
    return redirectTo(c, href(c, '/p/sla/calendars'));
  });

  app.post('/calendars/:id{[0-9]+}/holidays', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const form = await c.req.parseBody();
    const holiday: HolidayInput = { name: String(form.name ?? ''), date: String(form.date ?? ''), rrule: String(form.rrule ?? '') };
    const refused = await attempt(() => store(c).addHoliday(idOf(c), holiday, actorOf(c)));
    if (refused) return calendarPage(c, { holiday, errors: fieldMessages(c, refused.fields), status: refusalStatus(refused) });
    flash(c, 'success', c.var.t('sla.holiday.added'));
    return redirectTo(c, href(c, `/p/sla/calendars/${idOf(c)}`));
  });

  app.post('/calendars/:id{[0-9]+}/holidays/:holiday{[0-9]+}/delete', requirePermission(MANAGE), async (c) => {
    await store(c).removeHoliday(idOf(c), idOf(c, 'holiday'), actorOf(c));
    flash(c, 'success', c.var.t('sla.holiday.removed'));
    return redirectTo(c, href(c, `/p/sla/calendars/${idOf(c)}`));
  });

  app.post('/calendars/:id{[0-9]+}/import', requirePermission(MANAGE), async (c) => {
    await store(c).get(idOf(c));
    const file = (await c.req.parseBody()).file;
    const refuse = (key: string) => calendarPage(c, { errors: { file: c.var.t(key) }, status: 422 });
    if (!(file instanceof File) || file.size === 0) return refuse('sla.import.missing');
    if (file.size > ICS_MAX_BYTES) return refuse('sla.import.tooLarge');
    let added = 0;
    const refused = await attempt(async () => { added = await store(c).importIcs(idOf(c), await file.text(), actorOf(c)); });
    if (refused) return calendarPage(c, { errors: fieldMessages(c, refused.fields), status: refusalStatus(refused) });
    flash(c, 'success', c.var.t('sla.import.done', { count: added }));
    return redirectTo(c, href(c, `/p/sla/calendars/${idOf(c)}`));
  });
}

function CalendarFields(props: { c: Ctx; values: CalendarInput; errors: Record<string, string> }) {
  const { c, values, errors } = props;
  const t = c.var.t;
  return (
    <>
      <TextField name="name" label={t('sla.field.name')} value={values.name} errors={errors} maxlength={120} />
      <TextField name="zone" label={t('sla.calendar.zone')} value={values.zone} errors={errors} hint={t('sla.calendar.zone.hint')} />
      <fieldset class="sla-hours">
        <legend>{t('sla.calendar.hours')}</legend>
        <p class="muted">{t('sla.calendar.hours.hint')}</p>
        {WEEKDAYS.map((day) => <TextField name={`hours.${day}`} label={t(`sla.weekday.${day}`)} value={values.hours[String(day)] ?? ''} errors={errors} />)}
      </fieldset>
    </>
  );
}

async function listPage(c: Ctx, values?: CalendarInput, errors: Record<string, string> = {}, status?: 409 | 422) {
  const t = c.var.t;
  const calendars = await store(c).list();
  const progress = await RecomputeProgress({ c });
  const fresh: CalendarInput = values ?? { name: '', zone: tenantOf(c).time_zone, hours: { 1: '08:00-17:00', 2: '08:00-17:00', 3: '08:00-17:00', 4: '08:00-17:00', 5: '08:00-17:00' } };
  return adminPage(c, t('sla.calendars'), (
    <div class="stack sla-admin">
      {progress}
      <div class="table-wrap">
        <table class="table" id="sla-calendars">
          <thead><tr><th scope="col">{t('sla.field.name')}</th><th scope="col">{t('sla.calendar.zone')}</th></tr></thead>
          <tbody>{calendars.map((row) => (
            <tr><td><a href={href(c, `/p/sla/calendars/${row.id}`)}>{row.name}</a>{row.is_default ? <span class="badge sla-default"> {t('sla.calendar.default')}</span> : null}</td><td>{row.time_zone}</td></tr>
          ))}</tbody>
        </table>
      </div>
      <form method="post" action={href(c, '/p/sla/calendars')} class="card stack" id="sla-calendar-new">
        <h2>{t('sla.calendar.new')}</h2>
        <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
        <CalendarFields c={c} values={fresh} errors={errors} />
        <div><button type="submit" class="button-primary" id="sla-calendar-create">{t('sla.calendar.create')}</button></div>
      </form>
    </div>
  ), status ? { status } : {});
}

async function calendarPage(c: Ctx, state: { calendar?: CalendarInput; holiday?: HolidayInput; errors?: Record<string, string>; status?: 409 | 422 } = {}) {
  const t = c.var.t;
  const row = await store(c).get(idOf(c));
  const holidays = await store(c).holidays(row.id);
  const errors = state.errors ?? {};
  const hours = parseHours(row.hours);
  const values: CalendarInput = state.calendar ?? { name: row.name, zone: row.time_zone, hours: Object.fromEntries(WEEKDAYS.map((day) => [String(day), formatDayHours(hours[day])])) };
  const holiday = state.holiday ?? { name: '', date: '', rrule: '' };
  const base = `/p/sla/calendars/${row.id}`;
  return adminPage(c, row.name, (
    <div class="stack sla-admin">
      {errors._form ? <FormError message={errors._form} /> : null}
      <form method="post" action={href(c, base)} class="card stack" id="sla-calendar-form">
        <FormError message={state.calendar ? t('error.invalid') : undefined} />
        <CalendarFields c={c} values={values} errors={state.calendar ? errors : {}} />
        <div><button type="submit" class="button-primary" id="sla-calendar-save">{t('common.save')}</button></div>
      </form>
      <section class="card stack" id="sla-holidays">
        <h2>{t('sla.holidays')}</h2>
        {holidays.length === 0 ? <p class="muted">{t('sla.holidays.none')}</p> : (
          <ul class="sla-list">{holidays.map((h) => (
            <li id={`sla-holiday-${h.id}`}>
              <span>{h.date} {h.name}{h.rrule ? <code class="sla-rrule"> {h.rrule}</code> : null}</span>
              <form method="post" action={href(c, `${base}/holidays/${h.id}/delete`)} class="sla-inline"><button type="submit" class="button">{t('sla.remove')}</button></form>
            </li>
          ))}</ul>
        )}
        <form method="post" action={href(c, `${base}/holidays`)} class="stack" id="sla-holiday-form">
          <FormError message={state.holiday ? t('error.invalid') : undefined} />
          <TextField name="name" label={t('sla.field.name')} value={holiday.name} errors={state.holiday ? errors : {}} />
          <TextField name="date" type="date" label={t('sla.holiday.date')} value={holiday.date} errors={state.holiday ? errors : {}} />
          <TextField name="rrule" label={t('sla.holiday.rrule')} value={holiday.rrule} errors={state.holiday ? errors : {}} hint={t('sla.holiday.rrule.hint')} />
          <div><button type="submit" class="button" id="sla-holiday-add">{t('sla.holiday.add')}</button></div>
        </form>
        <form method="post" action={href(c, `${base}/import`)} enctype="multipart/form-data" class="stack" id="sla-import-form">
          <div class="field">
            <label for="f-file">{t('sla.import.file')}</label>
            <input type="file" id="f-file" name="file" accept=".ics,text/calendar" aria-invalid={errors.file ? 'true' : undefined} />
            {errors.file ? <small id="file-error" class="field-error">{errors.file}</small> : null}
          </div>
          <div><button type="submit" class="button" id="sla-import">{t('sla.import')}</button></div>
        </form>
      </section>
      {row.is_default ? null : (
        <form method="post" action={href(c, `${base}/delete`)} id="sla-calendar-delete"><button type="submit" class="button-danger">{t('sla.calendar.delete')}</button></form>
      )}
    </div>
  ), { crumbs: [{ label: t('sla.calendars'), href: href(c, '/p/sla/calendars') }], ...(state.status ? { status: state.status } : {}) });
}
