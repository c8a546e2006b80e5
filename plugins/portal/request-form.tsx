import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import {
  CustomFieldInputs, FormError, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, SelectField, TextArea, activeFieldDefinitions, clientIp,
  customInputFromForm, fieldsFor, filesFromForm, flash, formRefusal, href, isoToZoned, pluginCreateFields, pluginFieldsFromForm, priorityOptions, redirectTo, scope,
  ticketService, ticketSettings, fieldErrors, tenantOf, type AppEnv, type FieldDefinition,
} from '../../core/plugin-api.js';
import { KNOWLEDGE_SUGGESTIONS, type KnowledgeSuggestion, type KnowledgeSuggestionsProvider } from './extension-points.js';
import { person, personActor, requirePerson } from './portal-access.js';
import { PortalHead, portalRender } from './portal-shell.js';
import { PinnedNotices, pinnedNotices } from './portal-timeline.js';
import { submissionLimiter } from './rate-limit.js';
import { portalSettings } from './settings.js';

const optionalId = z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.coerce.number().int().positive().optional());
const requestSchema = z.object({
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  category: z.string().trim().max(100).optional(),
  priority: optionalId,
  contract_id: optionalId,
});

/** File types a portal user may attach, for the picker's accept list (the server checks again). */
const ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.bmp,.heic,.pdf,.txt,.log,.csv,.md,.json,.xml,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf,.zip,.7z,.gz,.eml,.msg,.ics,.vcf';

/** The custom fields of the chosen category (core's inputs), in the target the category select re-renders. */
export function CustomFields(props: { c: Context<AppEnv>; fields: FieldDefinition[]; values: Record<string, string>; errors?: Record<string, string> | undefined }) {
  return <div id="portal-custom-fields"><CustomFieldInputs fields={props.fields} values={props.values} errors={props.errors} t={props.c.var.t} mode="create" /></div>;
}

interface FormData {
  categories: string[];
  contracts: Array<{ id: number; name: string; number: string }>;
  priorities: Array<{ value: number; label: string }> | undefined;
  definitions: FieldDefinition[];
}

async function formData(c: Context<AppEnv>): Promise<FormData> {
  const viewer = person(c);
  const today = isoToZoned(c.var.services.clock().toISOString(), c.var.dates.timeZone).slice(0, 10);
  const settings = await portalSettings(c.var.services, tenantOf(c).id);
  const [categories, contracts, definitions] = await Promise.all([
    scope(c).selectFrom('ticket_categories').select('name').where('active', '=', 1).orderBy('position').orderBy('name').execute(),
    viewer.organisation_id === null ? Promise.resolve([]) : scope(c).selectFrom('contracts').select(['id', 'name', 'number'])
      .where('organisation_id', '=', viewer.organisation_id)
      .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
      .orderBy('name').execute(),
    activeFieldDefinitions(scope(c)),
  ]);
  return {
    categories: categories.map((row) => row.name),
    contracts,
    priorities: settings.allowPriority ? priorityOptions(ticketSettings(tenantOf(c)), c.var.t) : undefined,
    definitions,
  };
}

/** Other plugins' inputs on the new request (core slot TICKET_CREATE_FIELDS, surface 'portal'). */
const portalPluginFields = (c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string> = {}) =>
  pluginCreateFields(c, { surface: 'portal', person: person(c), values, errors });

function RequestForm(props: { c: Context<AppEnv>; data: FormData; values: Record<string, string>; errors?: Record<string, string>; error?: string | undefined; pluginFields: Child }) {
  const { c, data, values } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  return (
    <form method="post" action={href(c, '/portal/requests')} enctype="multipart/form-data" class="card stack portal-form" id="portal-request-form">
      <FormError message={props.error} />
      <div class="field">
        <label for="f-subject">{t('portal.form.subject')}</label>
        <input id="f-subject" name="subject" type="text" value={values.subject ?? ''} required maxlength={200} autocomplete="off"
          aria-invalid={errors.subject ? 'true' : undefined} aria-describedby={errors.subject ? 'subject-error' : undefined}
          hx-get={href(c, '/portal/requests/suggestions')} hx-trigger="input changed delay:400ms" hx-target="#portal-suggestions" hx-swap="outerHTML" />
        {errors.subject ? <small id="subject-error" class="field-error">{errors.subject}</small> : null}
      </div>
      <div id="portal-suggestions" aria-live="polite"></div>
      <TextArea name="description" label={t('portal.form.description')} value={values.description} rows={6} required errors={errors} />
      {data.categories.length > 0 ? (
        <div class="field">
          <label for="f-category">{t('portal.form.category')}</label>
          <select id="f-category" name="category" hx-get={href(c, '/portal/requests/new/fields')} hx-trigger="change" hx-target="#portal-custom-fields" hx-swap="outerHTML" hx-include="#portal-custom-fields"
            aria-invalid={errors.category ? 'true' : undefined}>
            <option value="">{t('portal.form.noCategory')}</option>
            {data.categories.map((name) => <option value={name} selected={name === values.category}>{name}</option>)}
          </select>
          {errors.category ? <small class="field-error">{errors.category}</small> : null}
        </div>
      ) : null}
      <CustomFields c={c} fields={fieldsFor(data.definitions, values.category || null)} values={values} errors={errors} />
      {props.pluginFields}
      {data.priorities ? <SelectField name="priority" label={t('portal.form.priority')} value={values.priority ?? '2'} options={data.priorities} errors={errors} /> : null}
      {data.contracts.length > 0 ? (
        <SelectField name="contract_id" label={t('portal.form.contract')} value={values.contract_id} empty={t('portal.form.noContract')}
          options={data.contracts.map((k) => ({ value: k.id, label: `${k.name} (${k.number})` }))} errors={errors} />
      ) : null}
      <div class={`field${errors.attachments ? ' field-invalid' : ''}`}>
        <label for="f-attachments">{t('portal.form.attachments')}</label>
        <input type="file" id="f-attachments" name="attachments" multiple accept={ACCEPT} />
        <small class="hint">{t('portal.form.attachmentsHint', { count: MAX_ATTACHMENTS, size: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}</small>
        {errors.attachments ? <small class="field-error">{errors.attachments}</small> : null}
      </div>
      <button type="submit" class="button-primary portal-wide" id="portal-submit-request">{t('portal.form.submit')}</button>
    </form>
  );
}

function Suggestions(props: { c: Context<AppEnv>; items: KnowledgeSuggestion[] }) {
  const { c } = props;
  if (props.items.length === 0) return <div id="portal-suggestions" aria-live="polite"></div>;
  const link = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? href(c, url) : /^https?:\/\//i.test(url) ? url : '#');
  return (
    <div id="portal-suggestions" aria-live="polite" class="portal-suggestions">
      <p class="portal-suggestions-title">{c.var.t('portal.form.suggestions')}</p>
      <ul class="plain-list">
        {props.items.map((item) => (
          <li><a href={link(item.url)} target="_blank" rel="noopener">{item.title}</a><br /><small class="muted">{item.excerpt}</small></li>
        ))}
      </ul>
    </div>
  );
}

/** New request: category fields re-rendered as the category changes, knowledge suggestions while typing, attachments. */
export function requestFormRoutes(app: Hono<AppEnv>): void {
  app.get('/requests/new', requirePerson, async (c) => {
    const t = c.var.t;
    return portalRender(c, {
      title: t('portal.form.title'),
      page: <><PortalHead title={t('portal.form.title')} lead={t('portal.form.lead')} /><PinnedNotices c={c} posts={await pinnedNotices(c, person(c))} /><RequestForm c={c} data={await formData(c)} values={{}} pluginFields={await portalPluginFields(c, {})} /></>,
    });
  });

  app.get('/requests/new/fields', requirePerson, async (c) => {
    const query = c.req.query();
    const category = query.category || null;
    const values = Object.fromEntries(Object.entries(query).filter(([key]) => key.startsWith('custom_fields.'))) as Record<string, string>;
    return c.html(<CustomFields c={c} fields={fieldsFor(await activeFieldDefinitions(scope(c)), category)} values={values} />);
  });

  app.get('/requests/suggestions', requirePerson, async (c) => {
    const text = (c.req.query('subject') ?? '').trim().slice(0, 200);
    const tenantId = tenantOf(c).id;
    const providers = await c.var.services.hooks.extensions(KNOWLEDGE_SUGGESTIONS, tenantId, c.var.enabledPlugins);
    const items: KnowledgeSuggestion[] = [];
    if (text.length >= 3) {
      for (const provider of providers) {
        try {
          items.push(...(await provider.suggest(tenantId, text, c.var.locale, { services: c.var.services, person: c.var.person ?? null })));
        } catch (error) {
          // A broken knowledge base must not stop anyone from asking for help.
          c.var.services.log.warn('portal knowledge suggestions failed', { tenantId, error: String(error) });
        }
      }
    }
    return c.html(<Suggestions c={c} items={items.slice(0, 5)} />);
  });

  app.post('/requests', requirePerson, async (c) => {
    const t = c.var.t;
    const viewer = person(c);
    const tenant = tenantOf(c);
    const settings = await portalSettings(c.var.services, tenant.id);
    const body = await c.req.parseBody({ all: true });
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      const last = Array.isArray(value) ? value.at(-1) : value;
      if (typeof last === 'string') values[key] = last;
    }
    const again = async (status: 422 | 429, errors: Record<string, string>, error?: string) => portalRender(c, {
      title: t('portal.form.title'), status,
      page: <><PortalHead title={t('portal.form.title')} /><RequestForm c={c} data={await formData(c)} values={values} errors={errors} error={error ?? t('error.invalid')} pluginFields={await portalPluginFields(c, values, errors)} /></>,
    });
    const parsed = requestSchema.safeParse(values);
    if (!parsed.success) return again(422, fieldErrors(parsed.error, t));
    const limiter = submissionLimiter(c.var.services, tenant.id);
    const address = clientIp(c);
    const wait = await limiter.retryAfter('request', viewer.id, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return again(429, {}, t('portal.limit.requests', { minutes: Math.ceil(wait / 60_000) }));
    }
    const input = parsed.data;
    try {
      const ticket = await ticketService(c).create({
        subject: input.subject,
        description: input.description,
        category: input.category || null,
        ...(settings.allowPriority && input.priority !== undefined ? { priority: input.priority } : {}),
        contractId: input.contract_id ?? null,
        channel: 'web',
        requesterId: viewer.id,
        organisationId: viewer.organisation_id,
        customFields: customInputFromForm(body),
        attachments: await filesFromForm(body.attachments),
        pluginFields: pluginFieldsFromForm(values),
      }, personActor(c));
      await limiter.record('request', viewer.id, address);
      flash(c, 'success', t('portal.form.created', { number: ticket.number }));
      return redirectTo(c, href(c, `/portal/requests/${ticket.number}`));
    } catch (error) {
      // Refused by the core's checks or another plugin's (at its p.<plugin>.<field> inputs): every input is kept.
      const refusal = formRefusal(c, error);
      if (refusal) return again(422, refusal.fields, refusal.message);
      throw error;
    }
  });
}
