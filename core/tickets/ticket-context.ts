import type { Context } from 'hono';
import type { AppEnv, Services } from '../http/app-env.js';
import { isLocale } from '../i18n/translate.js';
import { HttpError } from '../http/http-error.js';
import { createTicketQueries, type TicketQueries } from './ticket-queries.js';
import { createTicketService, type TicketActor, type TicketService } from './ticket-service.js';

/** The ticket service of the request's tenant, speaking the request's language. */
export function ticketService(c: Context<AppEnv>): TicketService {
  const tenant = c.var.tenant;
  if (!tenant) throw new HttpError(404, c.var.t('error.notFound'));
  const { db, database, clock, events, files, mailer, hooks, log, catalog } = c.var.services;
  return createTicketService({ db, dialect: database.dialect, clock, events, files, mailer, hooks, log, catalog }, tenant, c.var.t);
}

/**
 * The ticket service of a tenant outside a request (plugin jobs, workers, mail import), with the
 * same hooks, mailer and events as in a request, speaking the tenant's language.
 */
export async function tenantTicketService(services: Services, tenantId: number): Promise<TicketService> {
  const tenant = await services.tenants.byId(tenantId);
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  const { db, database, clock, events, files, mailer, hooks, log, catalog } = services;
  const t = services.catalog.translator(isLocale(tenant.locale) ? tenant.locale : 'en');
  return createTicketService({ db, dialect: database.dialect, clock, events, files, mailer, hooks, log, catalog }, tenant, t);
}

export function ticketQueries(c: Context<AppEnv>): TicketQueries {
  const tenant = c.var.tenant;
  if (!tenant) throw new HttpError(404, c.var.t('error.notFound'));
  return createTicketQueries(c.var.services.db, c.var.services.database.dialect, tenant.id, tenant.time_zone);
}

/** Who acts in this request: the signed-in staff user (UI or API token) or portal person. */
export function ticketActor(c: Context<AppEnv>): TicketActor {
  const user = c.var.user;
  if (user) return { kind: 'user', id: user.id, label: user.name, can: c.var.can };
  const person = c.var.person;
  if (person) return { kind: 'person', id: person.id, label: person.name };
  throw new HttpError(401, c.var.t('error.forbidden'));
}
