import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { TicketChannel } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { fieldErrors, idFrom } from '../../http/forms.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { toHttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { FieldConflictError } from '../../people/field-error.js';
import { savePerson } from '../../people/person-service.js';
import { blankToNull } from '../../people/text-search.js';
import { filesFromForm } from '../../tickets/attachment-rules.js';
import { customInputFromForm, fieldsFor, type FieldDefinition } from '../../tickets/custom-fields.js';
import { activeFieldDefinitions } from '../../tickets/custom-field-definitions.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { CHANNELS } from '../../tickets/ticket-service.js';
import { priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import { FormError, SelectField, TextArea, TextField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { CustomFieldInputs } from '../../../views/components/custom-field-inputs.js';
import { LOOKUP_LISTBOX } from './people-lookup.js';
import { OrganisationPicker, pickedDisplay, resolvePicked } from './organisation-picker.js';
import { OneStepChoice } from './phone-ticket-one-step.js';
import { CREATE_FIELDS_ID, formRefusal, pluginCreateFields, pluginFieldsFromForm } from './ticket-create-fields.js';

const id = z.string().optional().transform((v) => (v ? Number(v) : null)).pipe(z.number().int().positive().nullable());

const phoneTicketSchema = z.object({
  requester_id: id,
  organisation_id: id,
  subject: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).optional().default(''),
  priority: z.coerce.number().int().min(1).max(4),
  channel: z.enum(CHANNELS as [TicketChannel, ...TicketChannel[]]),
  category: z.string().max(120).optional().transform((v) => v || null),
  group_id: id,
  new_person_name: z.string().trim().max(120).optional().default(''),
  new_person_email: z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email())]).optional().transform((v) => v || null),
  new_person_phone: z.string().max(60).optional().transform(blankToNull),
  new_person_organisation_id: id,
  after: z.enum(['keep', 'mine', 'solved']).optional().default('keep'),
  solution: z.string().max(20_000).optional().default(''),
});

type FormState = { values: Record<string, string>; errors?: Record<string, string> | undefined };

/** Plugins' create fields see this form as the phone ticket while its channel is phone (the default), else as the agent's. */
const surfaceOf = (values: Record<string, string>) => ((values.channel ?? 'phone') === 'phone' ? 'phone' as const : 'agent' as const);

/** The last value of each text input (a checkbox sends its hidden '' and then '1'). */
function formValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') values[key] = last;
  }
  return values;
}

function CustomFieldsBlock(props: { c: Context<AppEnv>; definitions: FieldDefinition[]; state: FormState }) {
  const category = props.state.values.category || null;
  return (
    <div id="custom-fields">
      <CustomFieldInputs fields={fieldsFor(props.definitions, category)} values={props.state.values} errors={props.state.errors} t={props.c.var.t} mode="create" />
    </div>
  );
}

async function phoneTicketPage(c: Context<AppEnv>, state: FormState, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tenantScope = scope(c);
  const settings = ticketSettings(tenantOf(c));
  const values = state.values;
  const errors = state.errors;
  const requesterId = idFrom(values.requester_id);
  const organisationId = idFrom(values.organisation_id);
  const [categories, groups, newPersonOrganisation, definitions, requester, organisation, pluginFields] = await Promise.all([
    tenantScope.selectFrom('ticket_categories').select('name').where('active', '=', 1).orderBy('position').orderBy('name').execute(),
    tenantScope.selectFrom('support_groups').select(['id', 'name', 'level']).orderBy('name').execute(),
    pickedDisplay(c, values, 'new_person_organisation_id'),
    activeFieldDefinitions(tenantScope),
    requesterId ? tenantScope.selectFrom('people').leftJoin('organisations', 'organisations.id', 'people.organisation_id')
      .select(['people.name', 'people.email', 'organisations.name as organisation_name', 'people.organisation_id']).where('people.id', '=', requesterId).executeTakeFirst() : undefined,
    organisationId ? tenantScope.selectFrom('organisations').select('name').where('id', '=', organisationId).executeTakeFirst() : undefined,
    pluginCreateFields(c, { surface: surfaceOf(values), values, errors: errors ?? {} }),
  ]);
  const channel = <SelectField name="channel" label={t('phone.channel')} value={values.channel ?? 'phone'} options={CHANNELS.map((ch) => ({ value: ch, label: t(`channel.${ch}`) }))} errors={errors} />;
  const picked = requester ? [requester.name, requester.email, requester.organisation_name].filter(Boolean).join(' · ') : organisation?.name ?? '';
  const pickedOrganisation = requester && !values.organisation_id ? requester.organisation_id : organisationId;
  const requesterError = errors?.requester_id ?? errors?.organisation_id;
  return render(c, {
    title: t('phone.title'),
    status,
    page: (
      <Page title={t('phone.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('phone.title') }]}>
        <FormError message={errors ? errors._form ?? t('error.invalid') : undefined} />
        <form method="post" action={href(c, '/desk/tickets/new')} enctype="multipart/form-data" class="stack phone-ticket" id="phone-ticket">
          <section class="card stack">
            <h2>{t('phone.caller')}</h2>
            <div class={`field picker picker-field${requesterError ? ' field-invalid' : ''}`} data-picker="" data-combo="">
              <label for="f-lookup">{t('lookup.label')}</label>
              <div class="combo-control">
                <input id="f-lookup" type="search" name="q" autocomplete="off" placeholder={t('lookup.placeholder')} data-combo-input=""
                  role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls={LOOKUP_LISTBOX} aria-describedby="lookup-picked"
                  hx-get={href(c, '/desk/lookup/people')} hx-trigger="input changed delay:200ms, search" hx-target={`#${LOOKUP_LISTBOX}`} hx-swap="innerHTML" hx-sync="this:replace" />
                <ul id={LOOKUP_LISTBOX} role="listbox" class="combo-list" aria-label={t('lookup.label')} hidden></ul>
              </div>
              <input type="hidden" name="requester_id" value={requesterId ? String(requesterId) : ''} />
              <input type="hidden" name="organisation_id" value={pickedOrganisation ? String(pickedOrganisation) : ''} />
              <p id="lookup-picked" class="picked" aria-live="polite">
                <span class="muted">{t('phone.picked')}</span> <strong data-picked="" data-empty={t('phone.nobody')}>{picked || t('phone.nobody')}</strong>
                <button type="button" class="button-small js-only" data-picker-clear="" hidden={!picked}>{t('phone.clear')}</button>
              </p>
              <a href={href(c, '/desk/lookup/people')} class="js-hidden">{t('lookup.title')}</a>
              {requesterError ? <small class="field-error">{requesterError}</small> : null}
            </div>
            <details class="new-person" open={Boolean(values.new_person_name || values.new_person_email || values.new_person_phone || errors?.new_person_name || errors?.new_person_email || errors?.new_person_organisation_id)}>
              <summary>{t('phone.newPerson')}</summary>
              <p class="hint">{t('phone.newPersonHint')}</p>
              <div class="form-row">
                <TextField name="new_person_name" label={t('common.name')} value={values.new_person_name} maxlength={120} errors={errors} />
                <TextField name="new_person_email" type="email" label={t('common.email')} value={values.new_person_email} errors={errors} />
              </div>
              <div class="form-row">
                <TextField name="new_person_phone" type="tel" label={t('phone.phone')} value={values.new_person_phone} maxlength={60} errors={errors} />
                <OrganisationPicker c={c} name="new_person_organisation_id" label={t('phone.organisation')} value={values.new_person_organisation_id}
                  display={newPersonOrganisation} errors={errors} />
              </div>
            </details>
          </section>
          <section class="card stack">
            <h2>{t('phone.request')}</h2>
            <TextField name="subject" label={t('phone.subject')} value={values.subject} required maxlength={200} errors={errors} />
            <TextArea name="description" label={t('phone.description')} value={values.description} rows={6} errors={errors} />
            <div class="form-row">
              <SelectField name="priority" label={t('phone.priority')} value={values.priority ?? '2'} options={priorityOptions(settings, t)} errors={errors} />
              {pluginFields === null ? channel : (
                // Plugins' fields may differ by surface: a new channel re-renders them, keeping what was typed.
                <div hx-get={href(c, '/desk/tickets/new/plugin-fields')} hx-trigger="change" hx-target={`#${CREATE_FIELDS_ID}`} hx-swap="outerHTML" hx-include={`#f-channel, #${CREATE_FIELDS_ID}`}>
                  {channel}
                </div>
              )}
            </div>
            <div class="form-row">
              <div class={`field${errors?.category ? ' field-invalid' : ''}`}>
                <label for="f-category">{t('phone.category')}</label>
                <select id="f-category" name="category" hx-get={href(c, '/desk/tickets/new/fields')} hx-trigger="change" hx-target="#custom-fields"
                  hx-swap="outerHTML" hx-include="#custom-fields">
                  <option value="">{t('phone.noCategory')}</option>
                  {categories.map((cat) => <option value={cat.name} selected={cat.name === values.category}>{cat.name}</option>)}
                </select>
                {errors?.category ? <small class="field-error">{errors.category}</small> : null}
              </div>
              <SelectField name="group_id" label={t('phone.group')} value={values.group_id} empty={t('phone.noGroup')}
                options={groups.map((g) => ({ value: g.id, label: `${g.name} (${t(`level.${g.level}`)})` }))} errors={errors} />
            </div>
            <CustomFieldsBlock c={c} definitions={definitions} state={state} />
            {pluginFields}
            <div class={`field${errors?.attachments ? ' field-invalid' : ''}`}>
              <label for="f-attachments">{t('phone.attachments')}</label>
              <input id="f-attachments" type="file" name="attachments" multiple />
              {errors?.attachments ? <small class="field-error">{errors.attachments}</small> : null}
            </div>
          </section>
          <OneStepChoice c={c} values={values} errors={errors} />
          <div class="form-actions">
            <button type="submit" class="button-primary">{t('phone.create')}</button>
          </div>
        </form>
      </Page>
    ),
  });
}

/** Service field keys that belong to another input on this form. */
function placeErrors(fields: Record<string, string>, newPerson: boolean): Record<string, string> {
  const placed = { ...fields };
  if (newPerson && placed.requester_id) {
    placed.new_person_name = placed.requester_id;
    delete placed.requester_id;
  }
  return placed;
}

export function phoneTicketRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;

  app.get('/desk/tickets/new', ...guard, (c) => {
    const values: Record<string, string> = {};
    for (const key of ['requester_id', 'organisation_id', 'category', 'subject', 'new_person_phone'] as const) {
      const value = c.req.query(key);
      if (value) values[key] = value.slice(0, 200);
    }
    // A plugin's fields prefilled by a link (e.g. the call a phone pop-up opens the form for); its filter checks them.
    for (const [key, value] of Object.entries(c.req.query())) if (key.startsWith('p.') && key.length <= 80 && value) values[key] = value.slice(0, 200);
    return phoneTicketPage(c, { values });
  });

  // The custom fields of the chosen category, swapped in when the category changes.
  app.get('/desk/tickets/new/fields', ...guard, async (c) => {
    const values = formValues(c.req.queries() as Record<string, unknown>);
    const block = <CustomFieldsBlock c={c} definitions={await activeFieldDefinitions(scope(c))} state={{ values }} />;
    if (isHtmx(c)) return c.html(block);
    return redirectTo(c, href(c, `/desk/tickets/new${values.category ? `?category=${encodeURIComponent(values.category)}` : ''}`));
  });

  // The plugins' fields for the chosen channel, swapped in when the channel changes.
  app.get('/desk/tickets/new/plugin-fields', ...guard, async (c) => {
    const values = formValues(c.req.queries() as Record<string, unknown>);
    if (!isHtmx(c)) return redirectTo(c, href(c, '/desk/tickets/new'));
    return c.html(<>{await pluginCreateFields(c, { surface: surfaceOf(values), values, errors: {} })}</>);
  });

  app.post('/desk/tickets/new', ...guard, async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const values = formValues(body);
    // Without JavaScript the organisation picker posts a typed name; it becomes the id here (or a field message).
    const pickError = await resolvePicked(c, values, 'new_person_organisation_id');
    const parsed = phoneTicketSchema.safeParse(values);
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error, t);
    if (pickError) errors.new_person_organisation_id = pickError;
    const newPerson = Boolean(values.new_person_name?.trim() || values.new_person_email?.trim());
    if (newPerson && !values.new_person_name?.trim()) errors.new_person_name ??= t('validation.required');
    if (!newPerson && !values.requester_id && !values.organisation_id) errors.requester_id ??= t('phone.callerRequired');
    if (values.after === 'solved' && !values.solution?.trim()) errors.solution ??= t('phone.solutionRequired');
    if (!parsed.success || Object.keys(errors).length) return phoneTicketPage(c, { values, errors }, 422);
    const data = parsed.data;
    const tenantScope = scope(c);

    // A new caller is saved first so the ticket can name them; if the ticket is refused the person goes again.
    let createdPersonId: number | undefined;
    if (newPerson) {
      try {
        createdPersonId = (await savePerson(tenantScope, {
          name: data.new_person_name, email: data.new_person_email, phone: data.new_person_phone, organisation_id: data.new_person_organisation_id,
          portal_role: 'requester', is_org_manager: 0, locale: null, active: 1, passwordHash: null,
        })).id;
      } catch (error) {
        if (!(error instanceof FieldConflictError)) throw error;
        return phoneTicketPage(c, { values, errors: { [`new_person_${error.field}`]: t(error.messageKey) } }, 422);
      }
    }
    try {
      const ticket = await ticketService(c).create({
        subject: data.subject,
        description: data.description,
        priority: data.priority,
        channel: data.channel,
        category: data.category,
        groupId: data.group_id,
        requesterId: createdPersonId ?? data.requester_id,
        organisationId: createdPersonId ? data.new_person_organisation_id : data.organisation_id,
        customFields: customInputFromForm(body),
        attachments: await filesFromForm(body.attachments),
        pluginFields: pluginFieldsFromForm(values),
        onCreate: data.after === 'solved' ? { solution: data.solution } : data.after === 'mine' ? { take: true } : undefined,
      }, ticketActor(c));
      flash(c, 'success', t(data.after === 'solved' ? 'phone.createdSolved' : 'phone.created', { number: ticket.number }));
      return redirectTo(c, href(c, `/desk/tickets/${ticket.number}`));
    } catch (error) {
      if (createdPersonId !== undefined) await tenantScope.deleteFrom('people').where('id', '=', createdPersonId).execute();
      // Refused by the core's checks or a plugin's (its fields are named p.<plugin>.<field>): every input is kept.
      const refusal = formRefusal(c, error);
      if (refusal) return phoneTicketPage(c, { values, errors: { _form: refusal.message, ...placeErrors(refusal.fields, newPerson) } }, 422);
      throw error;
    }
  });
}
