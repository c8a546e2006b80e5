import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { formatDomains } from '../../people/organisation-service.js';
import { organisationName, resolveOrganisationName, searchOrganisations, type OrganisationHit } from '../../people/organisation-search.js';
import { Page } from '../../../views/components/page.js';
import { Picker, PickerOptions, pickerTextName, type PickerOption } from '../../../views/components/picker.js';
import type { FieldErrors } from '../../../views/components/form.js';

const SEARCH_PATH = '/desk/pick/organisations';

const detailOf = (hit: OrganisationHit) => [hit.number, formatDomains(hit.email_domains)].filter(Boolean).join(' · ');
const toOption = (hit: OrganisationHit): PickerOption => ({ value: String(hit.id), label: hit.name, detail: detailOf(hit) });

/** The organisation picker of a desk form; `display` is the chosen organisation's name (see organisationDisplay). */
export function OrganisationPicker(props: {
  c: Context<AppEnv>; name: string; label: string; value: string | number | null | undefined; display: string | undefined;
  errors?: FieldErrors | undefined; valueAttrs?: Record<string, string> | undefined; readOnly?: boolean | undefined;
}) {
  const t = props.c.var.t;
  return (
    <Picker name={props.name} label={props.label} value={props.value} display={props.display} searchUrl={href(props.c, SEARCH_PATH)}
      placeholder={t('picker.organisation.placeholder')} clearLabel={t('picker.clear', { label: props.label })} errors={props.errors} valueAttrs={props.valueAttrs} readOnly={props.readOnly} />
  );
}

/** The name to show for a chosen organisation id of this tenant (undefined for none or another tenant's id). */
export function organisationDisplay(c: Context<AppEnv>, id: string | number | null | undefined): Promise<string | undefined> {
  const n = Number(id);
  return organisationName(scope(c), Number.isInteger(n) && n > 0 ? n : null);
}

/** What a form's picker shows: the chosen id's name, else the text typed without JavaScript (beside its field message). */
export function pickedDisplay(c: Context<AppEnv>, values: Record<string, string | undefined>, name: string): Promise<string | undefined> {
  return values[name] ? organisationDisplay(c, values[name]) : Promise.resolve(values[pickerTextName(name)]);
}

/**
 * Turns what a picker sent into the id the handler expects, in place. With JavaScript only the id
 * arrives (the text input has no name then) and stays as it is. Without JavaScript the typed text
 * arrives too: the id stays when the text still names it, an emptied text clears it, and any other
 * text is resolved by name (exactly one match) or answered with a field message.
 */
export async function resolvePicked(c: Context<AppEnv>, values: Record<string, string | undefined>, name: string): Promise<string | undefined> {
  const textName = pickerTextName(name);
  if (!(textName in values)) return undefined;
  const text = (values[textName] ?? '').trim();
  delete values[textName];
  const t = c.var.t;
  if (!text) {
    values[name] = '';
    return undefined;
  }
  const current = await organisationDisplay(c, values[name]);
  if (current !== undefined && current.toLowerCase() === text.toLowerCase()) return undefined;
  const resolved = await resolveOrganisationName(scope(c), c.var.services.database.dialect, text);
  if ('id' in resolved) {
    values[name] = String(resolved.id);
    return undefined;
  }
  values[name] = '';
  values[textName] = text;
  return 'none' in resolved ? t('picker.organisation.none', { text }) : t('picker.organisation.several', { text, names: resolved.several.join(', ') });
}

export function organisationPickerRoutes(app: Hono<AppEnv>): void {
  app.get(SEARCH_PATH, requireTenant, requireUser, requirePermission('people.view'), async (c) => {
    const t = c.var.t;
    const q = c.req.query('q') ?? '';
    const hits = await searchOrganisations(scope(c), c.var.services.database.dialect, q);
    c.header('Cache-Control', 'no-store');
    if (isHtmx(c)) {
      const listbox = /^[a-zA-Z0-9_-]{1,60}$/.test(c.req.query('listbox') ?? '') ? c.req.query('listbox')! : 'picker-options';
      if (!q.trim()) return c.body(null, 200);
      return c.html(<PickerOptions listbox={listbox} options={hits.map(toOption)} empty={t('picker.organisation.empty')} />);
    }
    // Opened directly (no htmx): a small search page, so the address never shows a bare fragment.
    return render(c, {
      title: t('picker.organisation.title'),
      page: (
        <Page title={t('picker.organisation.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('picker.organisation.title') }]}>
          <section class="card stack">
            <form method="get" action={href(c, SEARCH_PATH)} class="search-row" role="search">
              <label for="pick-q" class="visually-hidden">{t('picker.organisation.title')}</label>
              <input id="pick-q" type="search" name="q" value={q} maxlength={100} placeholder={t('picker.organisation.placeholder')} />
              <button type="submit" class="button">{t('lookup.search')}</button>
            </form>
            {q.trim() ? (
              hits.length ? (
                <ul class="lookup-list" id="organisation-hits">
                  {hits.map((hit) => (
                    <li class="lookup-pick">
                      <a href={href(c, `/desk/tickets?queue=all&organisation=${hit.id}`)}><strong>{hit.name}</strong></a>
                      {detailOf(hit) ? <span class="muted"> {detailOf(hit)}</span> : null}
                    </li>
                  ))}
                </ul>
              ) : <p class="muted">{t('picker.organisation.empty')}</p>
            ) : null}
          </section>
        </Page>
      ),
    });
  });
}
