import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { findOrganisation } from '../../people/organisation-service.js';
import { findPersonRecord, recordTickets } from '../../people/record-queries.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { PERSON_PAGE } from '../../plugin-host/slots.js';
import { Page } from '../../../views/components/page.js';
import { RecordFacts, RecordLayout, RecordTickets, recordFilter } from './record-tickets.js';

/** A contact person as agents see them: their facts and customer, plugins' panels and the tickets they asked for. */
export function personPageRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/people/:id{[0-9]+}', requireTenant, requireUser, requirePermission('tickets.view'), requirePermission('people.view'), async (c) => {
    const t = c.var.t;
    const tenantScope = scope(c);
    const person = await findPersonRecord(tenantScope, Number(c.req.param('id')));
    if (!person) throw new HttpError(404, t('error.notFound'));
    const path = `/desk/people/${person.id}`;
    const filter = recordFilter(c);
    const [organisation, tickets, panels] = await Promise.all([
      person.organisation_id === null ? undefined : findOrganisation(tenantScope, person.organisation_id),
      recordTickets(tenantScope, 'requester_id', person.id, filter),
      c.var.services.hooks.slot(PERSON_PAGE, slotContext(c, { person })),
    ]);
    return render(c, {
      title: person.name,
      page: (
        <Page title={person.name}
          crumbs={[
            { label: t('nav.tickets'), href: href(c, '/desk/tickets') },
            ...(organisation ? [{ label: organisation.name, href: href(c, `/desk/organisations/${organisation.id}`) }] : []),
            { label: person.name },
          ]}
          actions={c.var.can('people.manage') ? <a class="button" id="record-edit" href={href(c, `/admin/people/${person.id}`)}>{t('record.edit')}</a> : undefined}>
          <RecordLayout
            side={<>
              <section class="card">
                <h2>{t('record.facts')}</h2>
                {person.active ? null : <p><span class="badge badge-off" id="person-inactive">{t('record.inactive')}</span></p>}
                <RecordFacts id="person-facts" facts={[
                  [t('record.customer'), organisation ? <a href={href(c, `/desk/organisations/${organisation.id}`)} id="person-organisation">{organisation.name}</a> : null, 'fact-organisation'],
                  [t('common.email'), person.email ? <a href={`mailto:${person.email}`}>{person.email}</a> : null, 'fact-email'],
                  [t('admin.phone'), person.phone ? <a href={`tel:${person.phone}`}>{person.phone}</a> : null, 'fact-phone'],
                  [t('person.portalRole'), <>{t(`portalRole.${person.portal_role}`)}{person.is_org_manager ? <> <span class="badge">{t('person.manager')}</span></> : null}</>, 'fact-role'],
                  [t('person.language'), person.locale ? t(`lang.${person.locale}`) : t('person.languageDefault'), 'fact-language'],
                ]} />
              </section>
              {panels.length ? <div class="record-panels" id="person-panels">{panels}</div> : null}
            </>}
            main={<RecordTickets c={c} path={path} result={tickets} status={filter.status} requester={false} />}
          />
        </Page>
      ),
    });
  });
}
