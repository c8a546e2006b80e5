import type { Context, Hono } from 'hono';
import {
  Checkbox, DomainError, FormError, Page, SelectField, TextField, flash, href, redirectTo, render, requirePermission, staff, tenantOf, updatePluginSettings, type AppEnv,
} from '../../core/plugin-api.js';
import { LOCATION_KINDS, NAME_MAX, catalogueStore, modelLabel, typeName } from './catalogue-store.js';
import { DEFAULT_MAIL_PATTERN, mailPatternProblem } from './mail-pattern.js';
import { loadSettings } from './settings.js';

export const MANAGE = 'hardware.manage';
const ADMIN = '/p/hardware/admin';

type Errors = Record<string, string>;
/** A refused form of the page: which one, what it sent, its field messages (already worded). */
interface Refusal { form: string; values: Record<string, string>; errors: Errors }

const actorOf = (c: Context<AppEnv>) => {
  const user = staff(c);
  return { id: user.id, label: user.email };
};

/** The store's field keys as the page's input names (`<form>_<field>`), worded in the reader's language. */
function worded(c: Context<AppEnv>, form: string, error: DomainError): Errors {
  return Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [`${form}_${field}`, c.var.t(key, { max: NAME_MAX })]));
}

async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** The catalogue's one Administration page: types, manufacturers, models, locations and the plugin's settings. */
export function catalogueRoutes(app: Hono<AppEnv>): void {
  app.get('/admin', requirePermission(MANAGE), (c) => cataloguePage(c));

  const post = (path: string, form: string, save: (c: Context<AppEnv>, values: Record<string, string>) => Promise<unknown>) => {
    app.post(`/admin/${path}`, requirePermission(MANAGE), async (c) => {
      const values = await formOf(c);
      try {
        await save(c, values);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
        return cataloguePage(c, { form, values, errors: worded(c, form, error) });
      }
      flash(c, 'success', c.var.t('hardware.saved'));
      return redirectTo(c, href(c, `${ADMIN}#hardware-${form}s`));
    });
  };
  const store = (c: Context<AppEnv>) => catalogueStore(c.var.services, tenantOf(c).id);
  post('types', 'type', (c, v) => store(c).addType({ name_en: v.type_name_en ?? '', name_de: v.type_name_de ?? '' }, actorOf(c)));
  post('manufacturers', 'manufacturer', (c, v) => store(c).addManufacturer(v.manufacturer_name ?? '', actorOf(c)));
  post('models', 'model', (c, v) => store(c).addModel({ type_id: v.model_type_id ?? '', manufacturer_id: v.model_manufacturer_id ?? '', name: v.model_name ?? '' }, actorOf(c)));
  post('locations', 'location', (c, v) => store(c).addLocation({ kind: v.location_kind ?? '', name: v.location_name ?? '', parent_id: v.location_parent_id ?? '' }, actorOf(c)));

  app.get('/admin/types/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    const type = (await store(c).types()).find((row) => row.id === Number(c.req.param('id')));
    if (!type) return c.notFound();
    return typePage(c, type.id, { type_name_en: type.name_en, type_name_de: type.name_de });
  });
  app.post('/admin/types/:id{[0-9]+}', requirePermission(MANAGE), async (c) => {
    const id = Number(c.req.param('id'));
    if (!(await store(c).types()).some((row) => row.id === id)) return c.notFound();
    const values = await formOf(c);
    try {
      await store(c).renameType(id, { name_en: values.type_name_en ?? '', name_de: values.type_name_de ?? '' }, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return typePage(c, id, values, worded(c, 'type', error));
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, `${ADMIN}#hardware-types`));
  });

  app.post('/admin/settings', requirePermission(MANAGE), async (c) => {
    const values = await formOf(c);
    const mailPattern = (values.mailPattern ?? '').trim() || DEFAULT_MAIL_PATTERN;
    const problem = mailPatternProblem(mailPattern);
    if (problem) {
      flash(c, 'error', `${c.var.t('hardware.settings.mailPattern')}: ${c.var.t(problem)}`);
      return redirectTo(c, href(c, `${ADMIN}#hardware-settings`));
    }
    const settings = { portalPick: values.portalPick === '1', mailPattern };
    await updatePluginSettings(c.var.services.db, c.var.services.registry, tenantOf(c).id, 'hardware', settings);
    await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: staff(c).id, label: staff(c).email }, action: 'hardware.settings_changed', details: settings });
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, `${ADMIN}#hardware-settings`));
  });
}

const crumbs = (c: Context<AppEnv>) => [{ label: c.var.t('nav.admin'), href: href(c, '/admin') }, { label: c.var.t('hardware.catalogue') }];

async function typePage(c: Context<AppEnv>, id: number, values: Record<string, string>, errors?: Errors) {
  const t = c.var.t;
  return render(c, {
    title: t('hardware.type.edit'),
    status: errors ? 422 : 200,
    page: (
      <Page title={t('hardware.type.edit')} crumbs={[...crumbs(c).slice(0, 1), { label: t('hardware.catalogue'), href: href(c, ADMIN) }, { label: t('hardware.type.edit') }]}>
        <form method="post" action={href(c, `${ADMIN}/types/${id}`)} class="card stack" id="hardware-type-edit">
          <FormError message={errors ? t('error.invalid') : undefined} />
          <TextField name="type_name_en" label={t('hardware.type.nameEn')} value={values.type_name_en} errors={errors} maxlength={NAME_MAX} />
          <TextField name="type_name_de" label={t('hardware.type.nameDe')} value={values.type_name_de} errors={errors} maxlength={NAME_MAX} />
          <div><button type="submit" class="button-primary">{t('common.save')}</button></div>
        </form>
      </Page>
    ),
  });
}

async function cataloguePage(c: Context<AppEnv>, refusal?: Refusal) {
  const t = c.var.t;
  const store = catalogueStore(c.var.services, tenantOf(c).id);
  const [types, manufacturers, models, locations, settings] = await Promise.all([store.types(), store.manufacturers(), store.models(), store.locations(), loadSettings(c.var.services, tenantOf(c).id)]);
  const of = (form: string) => (refusal?.form === form ? { values: refusal.values, errors: refusal.errors } : { values: {} as Record<string, string>, errors: undefined });
  const type = of('type');
  const manufacturer = of('manufacturer');
  const model = of('model');
  const location = of('location');
  const parents = locations.filter((row) => row.kind !== 'room');
  return render(c, {
    title: t('hardware.catalogue'),
    status: refusal ? 422 : 200,
    page: (
      <Page title={t('hardware.catalogue')} crumbs={crumbs(c)}>
        <div class="hardware-admin">
          <section class="card stack" id="hardware-types">
            <h2>{t('hardware.types')}</h2>
            <ul class="hardware-list">
              {types.map((row) => <li><a href={href(c, `${ADMIN}/types/${row.id}`)}>{typeName(row, c.var.locale)}</a> <span class="muted">{c.var.locale === 'de' ? row.name_en : row.name_de}</span></li>)}
            </ul>
            <form method="post" action={href(c, `${ADMIN}/types`)} class="stack" id="hardware-type-form">
              <FormError message={type.errors ? t('error.invalid') : undefined} />
              <TextField name="type_name_en" label={t('hardware.type.nameEn')} value={type.values.type_name_en} errors={type.errors} maxlength={NAME_MAX} />
              <TextField name="type_name_de" label={t('hardware.type.nameDe')} value={type.values.type_name_de} errors={type.errors} maxlength={NAME_MAX} />
              <div><button type="submit" class="button" id="hardware-type-add">{t('hardware.type.add')}</button></div>
            </form>
          </section>

          <section class="card stack" id="hardware-manufacturers">
            <h2>{t('hardware.manufacturers')}</h2>
            {manufacturers.length ? <ul class="hardware-list">{manufacturers.map((row) => <li>{row.name}</li>)}</ul> : <p class="muted">{t('hardware.none')}</p>}
            <form method="post" action={href(c, `${ADMIN}/manufacturers`)} class="stack" id="hardware-manufacturer-form">
              <FormError message={manufacturer.errors ? t('error.invalid') : undefined} />
              <TextField name="manufacturer_name" label={t('hardware.manufacturer.name')} value={manufacturer.values.manufacturer_name} errors={manufacturer.errors} maxlength={NAME_MAX} />
              <div><button type="submit" class="button" id="hardware-manufacturer-add">{t('hardware.manufacturer.add')}</button></div>
            </form>
          </section>

          <section class="card stack" id="hardware-models">
            <h2>{t('hardware.models')}</h2>
            {models.length ? (
              <ul class="hardware-list">{models.map((row) => <li>{modelLabel(row)} <span class="muted">{typeName({ name_en: row.type_en, name_de: row.type_de }, c.var.locale)}</span></li>)}</ul>
            ) : <p class="muted">{t('hardware.none')}</p>}
            <form method="post" action={href(c, `${ADMIN}/models`)} class="stack" id="hardware-model-form">
              <FormError message={model.errors ? t('error.invalid') : undefined} />
              <SelectField name="model_type_id" label={t('hardware.type')} value={model.values.model_type_id} errors={model.errors} empty={t('hardware.choose')}
                options={types.map((row) => ({ value: row.id, label: typeName(row, c.var.locale) }))} />
              <SelectField name="model_manufacturer_id" label={t('hardware.manufacturer')} value={model.values.model_manufacturer_id} errors={model.errors} empty={t('hardware.choose')}
                options={manufacturers.map((row) => ({ value: row.id, label: row.name }))} />
              <TextField name="model_name" label={t('hardware.model.name')} value={model.values.model_name} errors={model.errors} maxlength={NAME_MAX} />
              <div><button type="submit" class="button" id="hardware-model-add">{t('hardware.model.add')}</button></div>
            </form>
          </section>

          <section class="card stack" id="hardware-locations">
            <h2>{t('hardware.locations')}</h2>
            {locations.length ? (
              <ul class="hardware-list hardware-tree">{locations.map((row) => <li class={`hardware-depth-${row.depth}`}>{row.name} <span class="muted">{t(`hardware.location.${row.kind}`)}</span></li>)}</ul>
            ) : <p class="muted">{t('hardware.none')}</p>}
            <form method="post" action={href(c, `${ADMIN}/locations`)} class="stack" id="hardware-location-form">
              <FormError message={location.errors ? t('error.invalid') : undefined} />
              <SelectField name="location_kind" label={t('hardware.location.kind')} value={location.values.location_kind} errors={location.errors} empty={t('hardware.choose')}
                options={LOCATION_KINDS.map((kind) => ({ value: kind, label: t(`hardware.location.${kind}`) }))} />
              <SelectField name="location_parent_id" label={t('hardware.location.parent')} value={location.values.location_parent_id} errors={location.errors} empty={t('hardware.location.noParent')}
                options={parents.map((row) => ({ value: row.id, label: `${row.path} (${t(`hardware.location.${row.kind}`)})` }))} />
              <TextField name="location_name" label={t('hardware.location.name')} value={location.values.location_name} errors={location.errors} maxlength={NAME_MAX} />
              <div><button type="submit" class="button" id="hardware-location-add">{t('hardware.location.add')}</button></div>
            </form>
          </section>

          <section class="card stack" id="hardware-settings">
            <h2>{t('hardware.settings')}</h2>
            <form method="post" action={href(c, `${ADMIN}/settings`)} class="stack" id="hardware-settings-form">
              <Checkbox name="portalPick" label={t('hardware.settings.portalPick')} checked={settings.portalPick} />
              <TextField name="mailPattern" label={t('hardware.settings.mailPattern')} value={settings.mailPattern} maxlength={200} hint={t('hardware.settings.mailPattern.hint')} />
              <div><button type="submit" class="button" id="hardware-settings-save">{t('common.save')}</button></div>
            </form>
          </section>
        </div>
      </Page>
    ),
  });
}

