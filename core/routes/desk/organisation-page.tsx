import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { organisationContracts } from '../../people/contract-service.js';
import { findOrganisation, formatDomains } from '../../people/organisation-service.js';
import { listPeople } from '../../people/person-service.js';
import { recordTickets } from '../../people/record-queries.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { ORGANISATION_PAGE } from '../../plugin-host/slots.js';
import { Page } from '../../../views/components/page.js';
import { ContractValidity } from './contract-page.js';
import { RecordFacts, RecordLayout, RecordTickets, recordFilter } from './record-tickets.js';

const PEOPLE_SHOWN = 20;

/** A customer as agents see it: its facts, contact persons and contracts, plugins' panels and its tickets. */
export function organisationPageRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/organisations/:id{[0-9]+}', requireTenant, requireUser, requirePermission('tickets.view'), requirePermission('people.view'), async (c) => {
    const t = c.var.t;
    const tenantScope = scope(c);
    const organisation = await findOrganisation(tenantScope, Number(c.req.param('id')));
    if (!organisation) throw new HttpError(404, t('error.notFound'));
    const path = `/desk/organisations/${organisation.id}`;
    const filter = recordFilter(c);
    const [people, contracts, tickets, panels] = await Promise.all([
      listPeople(tenantScope, { organisationId: organisation.id, page: 1, pageSize: PEOPLE_SHOWN }),
      organisationContracts(tenantScope, organisation.id),
      recordTickets(tenantScope, 'organisation_id', organisation.id, filter),
      c.var.services.hooks.slot(ORGANISATION_PAGE, slotContext(c, { organisation })),
    ]);
    const management = href(c, `/desk/tickets?${new URLSearchParams({ queue: 'all', organisation: String(organisation.id) })}`);
    return render(c, {
      title: organisation.name,
      page: (
        <Page title={organisation.name} crumbs={[{ label: t('nav.tickets'), href: href(c, '/desk/tickets') }, { label: organisation.name }]}
          actions={c.var.can('people.manage') ? <a class="button" id="record-edit" href={href(c, `/admin/organisations/${organisation.id}`)}>{t('record.edit')}</a> : undefined}>
          <RecordLayout
            side={<>
              <section class="card">
                <h2>{t('record.facts')}</h2>
                <RecordFacts id="organisation-facts" facts={[
                  [t('organisation.number'), organisation.number, 'fact-number'],
                  [t('organisation.domains'), formatDomains(organisation.email_domains), 'fact-domains'],
                  [t('admin.phone'), organisation.phone ? <a href={`tel:${organisation.phone}`}>{organisation.phone}</a> : null, 'fact-phone'],
                  [t('organisation.address'), organisation.address ? <span class="pre-line">{organisation.address}</span> : null, 'fact-address'],
                  [t('organisation.notes'), organisation.notes ? <span class="pre-line">{organisation.notes}</span> : null, 'fact-notes'],
                ]} />
              </section>
              <section class="card" id="organisation-people">
                <h2>{t('record.people')}</h2>
                {people.rows.length ? (
                  <ul class="plain-list">
                    {people.rows.map((p) => (
                      <li>
                        <a href={href(c, `/desk/people/${p.id}`)}>{p.name}</a>
                        {p.is_org_manager ? <> <span class="badge">{t('person.manager')}</span></> : null}
                        {p.active ? null : <> <span class="badge badge-off">{t('record.inactive')}</span></>}
                        {p.email ? <small class="muted record-sub">{p.email}</small> : null}
                      </li>
                    ))}
                  </ul>
                ) : <p class="muted">{t('record.noPeople')}</p>}
                {people.total > PEOPLE_SHOWN ? <p class="muted">{t('record.morePeople', { count: people.total - PEOPLE_SHOWN })}</p> : null}
              </section>
              <section class="card" id="organisation-contracts">
                <h2>{t('record.contracts')}</h2>
                {contracts.length ? (
                  <ul class="plain-list">
                    {contracts.map((contract) => (
                      <li>
                        <a href={href(c, `/desk/contracts/${contract.id}`)}>{contract.name}</a> <span class="muted">{contract.number}</span>
                        <small class="record-sub"><ContractValidity c={c} contract={contract} /></small>
                      </li>
                    ))}
                  </ul>
                ) : <p class="muted">{t('record.noContracts')}</p>}
              </section>
              {panels.length ? <div class="record-panels" id="organisation-panels">{panels}</div> : null}
            </>}
            main={<RecordTickets c={c} path={path} result={tickets} status={filter.status} requester
              more={<a href={management} id="record-management">{t('record.allInManagement')}</a>} />}
          />
        </Page>
      ),
    });
  });
}
