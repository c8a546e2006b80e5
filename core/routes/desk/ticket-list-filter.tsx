import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href } from '../../http/guards.js';
import { customFieldFilters } from '../../tickets/ticket-queries.js';
import { FormError, SelectField, TextField } from '../../../views/components/form.js';
import { OrganisationPicker } from './organisation-picker.js';
import { PluginFilterControls } from './ticket-list-columns.js';
import { LIST_IDS, listUrl, type ListState } from './ticket-list-state.js';

/** Ticket management's saved views: chips to open them and a form to save the current filter. */
export function SavedViews(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  const t = c.var.t;
  const form = state.form!;
  const me = c.var.user!.id;
  const values = state.viewForm?.values ?? {};
  return (
    <section class="card saved-views" id="saved-views" aria-labelledby="saved-views-title">
      <h2 id="saved-views-title">{t('views.title')}</h2>
      {form.views.length === 0 ? <p class="muted views-none">{t('views.none')}</p> : (
        <ul class="view-chips">
          {form.views.map((view) => (
            <li class="view-chip" data-view-id={view.id}>
              <a href={href(c, `/desk/tickets?queue=all${view.query ? `&${view.query}` : ''}`)}>{view.name}</a>
              {view.group_id ? <small class="muted">{t('views.sharedBy', { name: view.owner_name ?? '', group: view.group_name ?? '' })}</small> : null}
              {view.user_id === me ? (
                <form method="post" action={href(c, `/desk/views/${view.id}/delete`)}>
                  <button type="submit" class="chip-delete" aria-label={t('views.delete', { name: view.name })} title={t('views.delete', { name: view.name })}>×</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {/* Saving is occasional: folded away until wanted, open again when a save was refused. */}
      <details class="save-view-details" open={state.viewForm ? true : undefined}>
        <summary>{t('views.save')}</summary>
        <FormError message={state.viewForm ? t('error.invalid') : undefined} />
        <form method="post" action={href(c, '/desk/views')} id={LIST_IDS.saveView} class="save-view">
          <TextField name="view_name" label={t('views.name')} value={values.view_name} required maxlength={80} errors={state.viewForm?.errors} />
          <SelectField name="view_group" label={t('views.share')} value={values.view_group ?? ''} empty={t('views.personal')} options={form.myGroups} errors={state.viewForm?.errors} />
          <button type="submit" class="button">{t('views.save')}</button>
        </form>
      </details>
    </section>
  );
}

/** Ticket management's filter: text, status, priority, assignee, group, organisation, dates, custom fields. */
export function FilterForm(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  const t = c.var.t;
  const form = state.form!;
  const { filter, errors } = state;
  const custom = new Map(customFieldFilters(filter));
  const action = href(c, '/desk/tickets');
  return (
    <section class="card filter-card">
      <form method="get" action={action} id={LIST_IDS.filter} class="filter-form" role="search"
        hx-get={action} hx-target={`#${LIST_IDS.results}`} hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change" hx-sync={`#${LIST_IDS.results}:replace`}>
        <input type="hidden" name="queue" value="all" />
        {filter.sort ? <input type="hidden" name="sort" value={filter.sort} /> : null}
        {filter.dir ? <input type="hidden" name="dir" value={filter.dir} /> : null}
        <FormError message={errors ? t('error.invalid') : undefined} />
        <div class="filter-grid">
          <div class="filter-q">
            <TextField name="q" type="search" label={t('list.search')} value={filter.q} placeholder={t('list.searchHint')} maxlength={200} errors={errors} />
          </div>
          <SelectField name="status" label={t('list.status')} value={filter.status} empty={t('list.any')} options={form.statuses} errors={errors} />
          <SelectField name="priority" label={t('list.priority')} value={filter.priority} empty={t('list.any')} options={form.priorities} errors={errors} />
          <SelectField name="assignee" label={t('list.assignee')} value={filter.assignee} empty={t('list.any')} options={form.assignees} errors={errors} />
          <SelectField name="group" label={t('list.group')} value={filter.group} empty={t('list.any')} options={form.groups} errors={errors} />
          <OrganisationPicker c={c} name="organisation" label={t('list.organisation')} value={filter.organisation} display={form.organisationName} errors={errors} />
          {form.tags.length ? <SelectField name="tag" label={t('tag.filter')} value={filter.tag} empty={t('list.any')} options={form.tags} errors={errors} /> : null}
          <TextField name="from" type="date" label={t('list.from')} value={filter.from} errors={errors} />
          <TextField name="to" type="date" label={t('list.to')} value={filter.to} errors={errors} />
          {form.fields.map((field) => field.type === 'text' ? (
            <TextField name={`cf.${field.key}`} label={field.label} value={custom.get(field.key)} maxlength={200} />
          ) : (
            <SelectField name={`cf.${field.key}`} label={field.label} value={custom.get(field.key)} empty={t('list.any')}
              options={field.type === 'checkbox' ? [{ value: 'true', label: t('list.yes') }, { value: 'false', label: t('list.no') }] : field.options.map((o) => ({ value: o, label: o }))} />
          ))}
          <PluginFilterControls c={c} plugins={state.plugins} errors={errors} />
        </div>
        <div class="filter-actions">
          {form.canSeeDeleted ? (
            <div class="field field-check">
              <input type="checkbox" id="f-deleted" name="deleted" value="1" checked={Boolean(filter.deleted)} />
              <label for="f-deleted">{t('list.deleted')}</label>
            </div>
          ) : null}
          <button type="submit" class="button-primary">{t('list.apply')}</button>
          <a class="button" href={listUrl(c, 'all')}>{t('list.reset')}</a>
        </div>
      </form>
    </section>
  );
}

/** On the queue tabs: one search field that leads into ticket management. */
export function QuickSearch(props: { c: Context<AppEnv> }) {
  const { c } = props;
  const t = c.var.t;
  const action = href(c, '/desk/tickets');
  return (
    <form method="get" action={action} class="quick-search" role="search"
      hx-get={action} hx-target={`#${LIST_IDS.workspace}`} hx-swap="outerHTML" hx-push-url="true">
      <input type="hidden" name="queue" value="all" />
      <label for="f-q" class="visually-hidden">{t('list.search')}</label>
      <input type="search" id="f-q" name="q" placeholder={t('list.searchHint')} maxlength={200} />
      <button type="submit" class="button">{t('list.search')}</button>
    </form>
  );
}
