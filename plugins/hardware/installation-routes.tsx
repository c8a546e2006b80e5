import type { Context, Hono } from 'hono';
import {
  DomainError, FormError, OrganisationPicker, Page, SelectField, TextArea, TextField, flash, href, organisationDisplay, redirectTo, render, requirePermission,
  resolvePicked, scope, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { serviceLevels, type ServiceLevelOption } from '../sla/extension-points.js';
import { NAME_MAX, catalogueStore, positiveId } from './catalogue-store.js';
import { INVENTORY_MAX, NOTES_MAX } from './device-fields.js';
import { EDIT, VIEW } from './device-routes.js';
import { installationStore, type ComponentInput, type InstallationInput, type InstallationRow, type LevelChoice } from './installation-store.js';

const BASE = '/p/hardware/installations';
type Errors = Record<string, string>;

const actorOf = (c: Context<AppEnv>) => ({ id: staff(c).id, label: staff(c).email });
const idParam = (c: Context<AppEnv>, name = 'id') => Number(c.req.param(name));
const store = (c: Context<AppEnv>) => installationStore(c.var.services, tenantOf(c).id);

/** The sla plugin's levels while the tenant has it on; otherwise none and no level field anywhere. */
async function levelsOf(c: Context<AppEnv>): Promise<{ choice: LevelChoice; options: ServiceLevelOption[] | null }> {
  if (!c.var.enabledPlugins.has('sla')) return { choice: null, options: null };
  const options = await serviceLevels(scope(c));
  return { choice: new Set(options.map((level) => level.id)), options };
}

async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

const worded = (c: Context<AppEnv>, error: DomainError): Errors =>
  Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, c.var.t(key, { max: field === 'notes' ? NOTES_MAX : NAME_MAX })]));

const installationInput = (v: Record<string, string>): InstallationInput => ({ name: v.name ?? '', organisation_id: v.organisation_id ?? '', location_id: v.location_id ?? '', notes: v.notes ?? '' });

/** Installations under /p/hardware/installations: the list, new and edit forms, a page with its components. */
export function installationRoutes(app: Hono<AppEnv>): void {
  app.get('/installations', requirePermission(VIEW), async (c) => {
    const organisation = positiveId(c.req.query('organisation') ?? '');
    return listPage(c, await store(c).list(organisation));
  });

  app.get('/installations/new', requirePermission(EDIT), (c) => formPage(c, null, { name: '', organisation_id: c.req.query('organisation') ?? '', location_id: '', notes: '' }));
  app.post('/installations', requirePermission(EDIT), async (c) => {
    const raw = await formOf(c);
    const pickerError = await resolvePicked(c, raw, 'organisation_id');
    const values = installationInput(raw);
    try {
      if (pickerError) throw new DomainError('invalid', 'error.invalid', { organisation_id: pickerError });
      const id = await store(c).create(values, actorOf(c));
      flash(c, 'success', c.var.t('hardware.installation.created'));
      return redirectTo(c, href(c, `${BASE}/${id}`));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return formPage(c, null, values, worded(c, error));
    }
  });

  app.get('/installations/:id{[0-9]+}', requirePermission(VIEW), async (c) => installationPage(c, await store(c).get(idParam(c))));

  app.get('/installations/:id{[0-9]+}/edit', requirePermission(EDIT), async (c) => {
    const row = await store(c).get(idParam(c));
    return formPage(c, row, { name: row.name, organisation_id: String(row.organisation_id), location_id: row.location_id ? String(row.location_id) : '', notes: row.notes ?? '' });
  });
  app.post('/installations/:id{[0-9]+}', requirePermission(EDIT), async (c) => {
    const row = await store(c).get(idParam(c));
    const raw = await formOf(c);
    const pickerError = await resolvePicked(c, raw, 'organisation_id');
    const values = installationInput(raw);
    try {
      if (pickerError) throw new DomainError('invalid', 'error.invalid', { organisation_id: pickerError });
      await store(c).update(row.id, values, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return formPage(c, row, values, worded(c, error));
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, `${BASE}/${row.id}`));
  });

  app.post('/installations/:id{[0-9]+}/components', requirePermission(EDIT), async (c) => {
    const row = await store(c).get(idParam(c));
    const raw = await formOf(c);
    const input: ComponentInput = { inventory_number: raw.inventory_number ?? '', name: raw.name ?? '', level_id: raw.level_id ?? '' };
    try {
      await store(c).addComponent(row.id, input, (await levelsOf(c)).choice, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return installationPage(c, row, { values: input, errors: worded(c, error) });
    }
    flash(c, 'success', c.var.t('hardware.installation.componentAdded'));
    return redirectTo(c, href(c, `${BASE}/${row.id}#hardware-components`));
  });

  app.post('/installations/:id{[0-9]+}/components/:cid{[0-9]+}', requirePermission(EDIT), async (c) => {
    const row = await store(c).get(idParam(c));
    const raw = await formOf(c);
    try {
      await store(c).updateComponent(row.id, idParam(c, 'cid'), { name: raw.name ?? '', level_id: raw.level_id ?? '' }, (await levelsOf(c)).choice, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return installationPage(c, row, { component: idParam(c, 'cid'), errors: worded(c, error) });
    }
    flash(c, 'success', c.var.t('hardware.saved'));
    return redirectTo(c, href(c, `${BASE}/${row.id}#hardware-components`));
  });

  app.post('/installations/:id{[0-9]+}/components/:cid{[0-9]+}/delete', requirePermission(EDIT), async (c) => {
    const row = await store(c).get(idParam(c));
    await store(c).removeComponent(row.id, idParam(c, 'cid'), actorOf(c));
    flash(c, 'success', c.var.t('hardware.installation.componentRemoved'));
    return redirectTo(c, href(c, `${BASE}/${row.id}#hardware-components`));
  });
}

function listPage(c: Context<AppEnv>, rows: InstallationRow[]) {
  const t = c.var.t;
  return render(c, {
    title: t('hardware.installations'),
    page: (
      <Page title={t('hardware.installations')} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: t('hardware.installations') }]}
        actions={c.var.can(EDIT) ? <a class="button" href={href(c, `${BASE}/new`)} id="hardware-installation-new">{t('hardware.installation.new')}</a> : null}>
        {rows.length === 0 ? <p class="muted" id="hardware-installations-empty">{t('hardware.installation.none')}</p> : (
          <div class="table-wrap">
            <table class="table hardware-table" id="hardware-installations">
              <thead><tr><th scope="col">{t('hardware.installation.name')}</th><th scope="col">{t('hardware.device.organisation')}</th><th scope="col">{t('hardware.installation.components')}</th></tr></thead>
              <tbody>
                {rows.map((row) => (
                  <tr id={`hardware-installation-${row.id}`}>
                    <th scope="row"><a href={href(c, `${BASE}/${row.id}`)}>{row.name}</a></th>
                    <td data-label={t('hardware.device.organisation')}>{row.organisation}</td>
                    <td data-label={t('hardware.installation.components')}>{row.components}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Page>
    ),
  });
}

async function formPage(c: Context<AppEnv>, row: InstallationRow | null, values: InstallationInput, errors?: Errors) {
  const t = c.var.t;
  const locations = await catalogueStore(c.var.services, tenantOf(c).id).locations();
  const title = row ? t('hardware.installation.edit', { name: row.name }) : t('hardware.installation.new');
  return render(c, {
    title,
    status: errors ? 422 : 200,
    page: (
      <Page title={title} crumbs={[{ label: t('hardware.installations'), href: href(c, BASE) }, { label: title }]}>
        <form method="post" action={href(c, row ? `${BASE}/${row.id}` : BASE)} class="card stack hardware-form" id="hardware-installation-form">
          <FormError message={errors ? t('error.invalid') : undefined} />
          <div class="hardware-grid">
            <TextField name="name" label={t('hardware.installation.name')} value={values.name} errors={errors} maxlength={NAME_MAX} required />
            <OrganisationPicker c={c} name="organisation_id" label={t('hardware.device.organisation')} value={values.organisation_id}
              display={await organisationDisplay(c, values.organisation_id)} errors={errors} />
            <SelectField name="location_id" label={t('hardware.location')} value={values.location_id} errors={errors} empty={t('hardware.location.none')}
              options={locations.map((location) => ({ value: location.id, label: location.path }))} />
          </div>
          <TextArea name="notes" label={t('hardware.device.notes')} value={values.notes} errors={errors} rows={3} />
          <div class="hardware-actions">
            <button type="submit" class="button-primary" id="hardware-installation-save">{t('common.save')}</button>
            <a href={href(c, row ? `${BASE}/${row.id}` : BASE)}>{t('common.cancel')}</a>
          </div>
        </form>
      </Page>
    ),
  });
}

/** A refused component form of the page: the add form (values) or a row's (component id), with its messages. */
interface ComponentRefusal { values?: ComponentInput; component?: number; errors: Errors }

async function installationPage(c: Context<AppEnv>, row: InstallationRow, refusal?: ComponentRefusal) {
  const t = c.var.t;
  const [components, levels, locations] = await Promise.all([store(c).components(row.id), levelsOf(c), catalogueStore(c.var.services, tenantOf(c).id).locations()]);
  const levelName = new Map((levels.options ?? []).map((level) => [level.id, level.name]));
  const location = locations.find((place) => place.id === row.location_id);
  const edit = c.var.can(EDIT);
  const addErrors = refusal?.values ? refusal.errors : undefined;
  const levelOptions = (levels.options ?? []).map((level) => ({ value: level.id, label: level.name }));
  return render(c, {
    title: row.name,
    status: refusal ? 422 : 200,
    page: (
      <Page title={t('hardware.installation.title', { name: row.name })} crumbs={[{ label: t('hardware.installations'), href: href(c, BASE) }, { label: row.name }]}
        actions={edit ? <a class="button" href={href(c, `${BASE}/${row.id}/edit`)} id="hardware-installation-edit">{t('hardware.device.editButton')}</a> : null}>
        <section class="card stack" id="hardware-installation-facts">
          <dl class="hardware-facts">
            <dt>{t('hardware.device.organisation')}</dt><dd>{row.organisation}</dd>
            <dt>{t('hardware.location')}</dt><dd>{location?.path ?? '—'}</dd>
            <dt>{t('hardware.device.notes')}</dt><dd>{row.notes ?? '—'}</dd>
          </dl>
        </section>
        <section class="card stack" id="hardware-components">
          <h2>{t('hardware.installation.components')}</h2>
          {refusal?.component !== undefined ? <FormError message={Object.values(refusal.errors).join(' ')} /> : null}
          {components.length === 0 ? <p class="muted">{t('hardware.installation.noComponents')}</p> : (
            <div class="table-wrap">
              <table class="table hardware-table">
                <thead><tr>
                  <th scope="col">{t('hardware.installation.component')}</th><th scope="col">{t('hardware.model')}</th>
                  {levels.options ? <th scope="col">{t('hardware.installation.level')}</th> : null}
                  {edit ? <th scope="col"><span class="visually-hidden">{t('hardware.installation.actions')}</span></th> : null}
                </tr></thead>
                <tbody>
                  {components.map((component) => (
                    <tr id={`hardware-component-${component.id}`}>
                      <th scope="row">
                        {component.device_id ? <a href={href(c, `/p/hardware/devices/${component.device_id}`)}>{component.inventory_number}</a> : null}
                        {component.device_id && component.name ? ' · ' : null}{component.name ?? ''}
                      </th>
                      <td data-label={t('hardware.model')}>{component.model ? `${component.manufacturer} ${component.model}` : t('hardware.installation.part')}</td>
                      {levels.options ? (
                        <td data-label={t('hardware.installation.level')} id={`hardware-component-level-${component.id}`}>
                          {component.sla_level_id === null ? '—' : levelName.get(component.sla_level_id) ?? '—'}
                        </td>
                      ) : null}
                      {edit ? (
                        <td>
                          <form method="post" action={href(c, `${BASE}/${row.id}/components/${component.id}`)} class="hardware-inline">
                            <label class="visually-hidden" for={`component-${component.id}-name`}>{t('hardware.installation.componentName')}</label>
                            <input id={`component-${component.id}-name`} name="name" type="text" value={component.name ?? ''} maxlength={NAME_MAX} />
                            {levels.options ? (
                              <>
                                <label class="visually-hidden" for={`component-${component.id}-level`}>{t('hardware.installation.level')}</label>
                                <select id={`component-${component.id}-level`} name="level_id">
                                  <option value="">{t('hardware.installation.noLevel')}</option>
                                  {levelOptions.map((o) => <option value={String(o.value)} selected={o.value === component.sla_level_id}>{o.label}</option>)}
                                </select>
                              </>
                            ) : null}
                            <button type="submit" class="button-small">{t('common.save')}</button>
                          </form>
                          <form method="post" action={href(c, `${BASE}/${row.id}/components/${component.id}/delete`)} class="hardware-inline">
                            <button type="submit" class="button-small" aria-label={t('hardware.installation.removeLabel')}>{t('hardware.link.remove')}</button>
                          </form>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {edit ? (
            <form method="post" action={href(c, `${BASE}/${row.id}/components`)} class="stack" id="hardware-component-form">
              <h3>{t('hardware.installation.addComponent')}</h3>
              <FormError message={addErrors ? t('error.invalid') : undefined} />
              <div class="hardware-grid">
                <TextField name="inventory_number" label={t('hardware.device.inventory')} hint={t('hardware.installation.inventoryHint')}
                  value={refusal?.values?.inventory_number} errors={addErrors} maxlength={INVENTORY_MAX} />
                <TextField name="name" label={t('hardware.installation.componentName')} hint={t('hardware.installation.nameHint')}
                  value={refusal?.values?.name} errors={addErrors} maxlength={NAME_MAX} />
                {levels.options ? (
                  <SelectField name="level_id" label={t('hardware.installation.level')} value={refusal?.values?.level_id} errors={addErrors}
                    empty={t('hardware.installation.noLevel')} options={levelOptions} />
                ) : null}
              </div>
              <div class="hardware-actions"><button type="submit" class="button" id="hardware-component-add">{t('hardware.installation.add')}</button></div>
            </form>
          ) : null}
        </section>
      </Page>
    ),
  });
}
