import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { Contract } from '../../db/schema.js';
import { href, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDate } from '../../i18n/format.js';
import { isoToZoned } from '../../i18n/time-zone.js';
import { findContractRecord, recordTickets } from '../../people/record-queries.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { CONTRACT_PAGE } from '../../plugin-host/slots.js';
import { Page } from '../../../views/components/page.js';
import { RecordFacts, RecordLayout, RecordTickets, recordFilter } from './record-tickets.js';

/** The contract's validity in words, with a badge when it is not valid today (the tenant's calendar day). */
export function ContractValidity(props: { c: Context<AppEnv>; contract: Pick<Contract, 'valid_from' | 'valid_to'> }) {
  const { c, contract } = props;
  const t = c.var.t;
  const from = contract.valid_from ? formatDate(contract.valid_from, c.var.dates) : undefined;
  const to = contract.valid_to ? formatDate(contract.valid_to, c.var.dates) : undefined;
  const words = from && to ? t('record.validRange', { from, to }) : from ? t('record.validFrom', { from }) : to ? t('record.validUntil', { to }) : t('record.validAlways');
  // Calendar dates compare as text.
  const today = isoToZoned(c.var.services.clock().toISOString(), c.var.dates.timeZone).slice(0, 10);
  const state = contract.valid_to && contract.valid_to < today ? 'expired' : contract.valid_from && contract.valid_from > today ? 'notYet' : 'valid';
  return <>{words} <span class={`badge ${state === 'valid' ? 'badge-on' : 'badge-off'}`} data-validity={state}>{t(`record.${state}`)}</span></>;
}

/** A contract as agents see it: its facts and customer, plugins' panels (e.g. service levels) and the tickets under it. */
export function contractPageRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/contracts/:id{[0-9]+}', requireTenant, requireUser, requirePermission('tickets.view'), requirePermission('people.view'), async (c) => {
    const t = c.var.t;
    const tenantScope = scope(c);
    const found = await findContractRecord(tenantScope, Number(c.req.param('id')));
    if (!found) throw new HttpError(404, t('error.notFound'));
    const { contract, organisation } = found;
    const path = `/desk/contracts/${contract.id}`;
    const filter = recordFilter(c);
    const [tickets, panels] = await Promise.all([
      recordTickets(tenantScope, 'contract_id', contract.id, filter),
      c.var.services.hooks.slot(CONTRACT_PAGE, slotContext(c, { contract, organisation })),
    ]);
    const organisationUrl = href(c, `/desk/organisations/${organisation.id}`);
    return render(c, {
      title: contract.name,
      page: (
        <Page title={contract.name}
          crumbs={[{ label: t('nav.tickets'), href: href(c, '/desk/tickets') }, { label: organisation.name, href: organisationUrl }, { label: contract.name }]}
          actions={c.var.can('admin.contracts')
            ? <a class="button" id="record-edit" href={href(c, `/admin/organisations/${organisation.id}/contracts/${contract.id}`)}>{t('record.edit')}</a>
            : undefined}>
          <RecordLayout
            side={<>
              <section class="card">
                <h2>{t('record.facts')}</h2>
                <RecordFacts id="contract-facts" facts={[
                  [t('record.customer'), <a href={organisationUrl} id="contract-organisation">{organisation.name}</a>, 'fact-organisation'],
                  [t('contract.number'), contract.number, 'fact-number'],
                  [t('record.validity'), <ContractValidity c={c} contract={contract} />, 'fact-validity'],
                ]} />
              </section>
              {panels.length ? <div class="record-panels" id="contract-panels">{panels}</div> : null}
            </>}
            main={<RecordTickets c={c} path={path} result={tickets} status={filter.status} requester />}
          />
        </Page>
      ),
    });
  });
}
