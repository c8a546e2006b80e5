import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { containsText } from '../../people/text-search.js';
import { Page } from '../../../views/components/page.js';

const LIMIT = 10;

export interface LookupHit {
  kind: 'person' | 'organisation';
  id: number;
  label: string;
  detail: string;
  requesterId: number | null;
  organisationId: number | null;
}

/** Active people (by name, e-mail or phone) and organisations (by name or number) of this tenant. */
export async function lookupPeople(c: Context<AppEnv>, q: string): Promise<LookupHit[]> {
  const term = q.trim().slice(0, 100);
  if (!term) return [];
  const tenantScope = scope(c);
  const [people, organisations] = await Promise.all([
    tenantScope.selectFrom('people').leftJoin('organisations', 'organisations.id', 'people.organisation_id')
      .select(['people.id', 'people.name', 'people.email', 'people.phone', 'people.organisation_id', 'organisations.name as organisation_name'])
      .where('people.active', '=', 1)
      .where((eb) => eb.or([containsText('people.name', term), containsText('people.email', term), containsText('people.phone', term)]))
      .orderBy('people.name').orderBy('people.id').limit(LIMIT).execute(),
    tenantScope.selectFrom('organisations').select(['id', 'name', 'number'])
      .where((eb) => eb.or([containsText('organisations.name', term), containsText('organisations.number', term)]))
      .orderBy('name').orderBy('id').limit(LIMIT).execute(),
  ]);
  return [
    ...people.map((p): LookupHit => ({
      kind: 'person', id: p.id, label: p.name, detail: [p.email, p.phone, p.organisation_name].filter(Boolean).join(' · '),
      requesterId: p.id, organisationId: p.organisation_id,
    })),
    ...organisations.map((o): LookupHit => ({ kind: 'organisation', id: o.id, label: o.name, detail: o.number ?? '', requesterId: null, organisationId: o.id })),
  ];
}

/** Where a hit leads without JavaScript: the phone ticket form with the caller preselected. */
function pickHref(c: Context<AppEnv>, hit: LookupHit): string {
  const query = hit.requesterId ? `requester_id=${hit.requesterId}` : `organisation_id=${hit.organisationId}`;
  return href(c, `/desk/tickets/new?${query}`);
}

/** Id of the phone ticket form's listbox that the lookup's options go into. */
export const LOOKUP_LISTBOX = 'lookup-results';

/**
 * The hits as options of the phone ticket's caller combobox (views/components/picker.tsx's keys and
 * clicks in static/app.js): picking one fills the form's fields named by its data-fill-* attributes.
 */
export function LookupOptions(props: { c: Context<AppEnv>; hits: LookupHit[] }) {
  const t = props.c.var.t;
  if (props.hits.length === 0) return <li role="option" aria-disabled="true" class="combo-empty">{t('lookup.none')}</li>;
  return (
    <>
      {props.hits.map((hit) => (
        <li role="option" id={`${LOOKUP_LISTBOX}-${hit.kind}-${hit.id}`} aria-selected="false" class="combo-option"
          data-label={hit.detail ? `${hit.label} · ${hit.detail}` : hit.label}
          data-fill-requester_id={hit.requesterId ? String(hit.requesterId) : ''} data-fill-organisation_id={hit.organisationId ? String(hit.organisationId) : ''}>
          <span class="lookup-kind badge">{t(`lookup.${hit.kind}`)}</span>
          <strong>{hit.label}</strong>
          {hit.detail ? <span class="muted"> {hit.detail}</span> : null}
        </li>
      ))}
    </>
  );
}

/** The hits as links to the phone ticket form with the caller chosen: the lookup page without JavaScript. */
export function LookupResults(props: { c: Context<AppEnv>; hits: LookupHit[]; q: string }) {
  const { c, hits } = props;
  const t = c.var.t;
  if (!props.q.trim()) return <p class="muted lookup-hint">{t('lookup.typeToSearch')}</p>;
  if (hits.length === 0) return <p class="muted lookup-hint">{t('lookup.none')}</p>;
  return (
    <ul class="lookup-list">
      {hits.map((hit) => (
        <li>
          <a href={pickHref(c, hit)} class="lookup-pick">
            <span class="lookup-kind badge">{t(`lookup.${hit.kind}`)}</span>
            <strong>{hit.label}</strong>
            {hit.detail ? <span class="muted"> {hit.detail}</span> : null}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function peopleLookupRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/lookup/people', requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const t = c.var.t;
    const q = c.req.query('q') ?? '';
    const hits = await lookupPeople(c, q);
    c.header('Cache-Control', 'no-store');
    if (isHtmx(c)) return q.trim() ? c.html(<LookupOptions c={c} hits={hits} />) : c.body(null, 200);
    // Without JavaScript the lookup is a search page whose hits open the phone ticket form.
    return render(c, {
      title: t('lookup.title'),
      page: (
        <Page title={t('lookup.title')} crumbs={[{ label: t('phone.title'), href: href(c, '/desk/tickets/new') }, { label: t('lookup.title') }]}>
          <section class="card">
            <form method="get" action={href(c, '/desk/lookup/people')} class="search-row" role="search">
              <label for="lookup-q" class="visually-hidden">{t('lookup.label')}</label>
              <input id="lookup-q" type="search" name="q" value={q} placeholder={t('lookup.placeholder')} autofocus />
              <button type="submit" class="button">{t('lookup.search')}</button>
            </form>
            <LookupResults c={c} hits={hits} q={q} />
          </section>
        </Page>
      ),
    });
  });
}
