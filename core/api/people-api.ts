import { scope } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { findOrganisation, listOrganisations } from '../people/organisation-service.js';
import { findPerson, listPeople } from '../people/person-service.js';
import {
  idParams, one, organisationSchema, organisationsQuery, organisationSummarySchema, pageOf, peopleQuery, personSchema, personSummarySchema,
} from './api-schemas.js';
import { defineRoute } from './openapi.js';

const domains = (stored: string) => stored.split(',').map((d) => d.trim()).filter(Boolean);

/** Read-only look-ups of contact people and organisations (customers), e.g. to fill requester_id. */
export const peopleApiRoutes = [
  defineRoute({
    method: 'get', path: '/people', operationId: 'listPeople', tag: 'people', permission: 'people.view',
    summary: 'List contact people, by name or e-mail',
    query: peopleQuery, status: 200, response: pageOf(personSummarySchema), errors: [403, 422],
    async handle(c, { query }) {
      const { rows, total } = await listPeople(scope(c), { q: query.q, organisationId: query.organisation_id, page: query.page, pageSize: query.per_page });
      return {
        data: rows.map((row) => ({ ...row, is_org_manager: Boolean(row.is_org_manager), active: Boolean(row.active) })),
        page: query.page, per_page: query.per_page, total,
      };
    },
  }),

  defineRoute({
    method: 'get', path: '/people/{id}', operationId: 'getPerson', tag: 'people', permission: 'people.view',
    summary: 'One contact person',
    params: idParams, status: 200, response: one(personSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      const tenant = scope(c);
      const person = await findPerson(tenant, params.id);
      if (!person) throw new HttpError(404, c.var.t('api.personNotFound'));
      const organisation = person.organisation_id ? await findOrganisation(tenant, person.organisation_id) : undefined;
      return {
        data: {
          id: person.id, name: person.name, email: person.email, phone: person.phone, organisation_id: person.organisation_id,
          organisation_name: organisation?.name ?? null, portal_role: person.portal_role, is_org_manager: Boolean(person.is_org_manager),
          active: Boolean(person.active), locale: person.locale, created_at: person.created_at,
        },
      };
    },
  }),

  defineRoute({
    method: 'get', path: '/organisations', operationId: 'listOrganisations', tag: 'people', permission: 'people.view',
    summary: 'List organisations (customers), by name or customer number',
    query: organisationsQuery, status: 200, response: pageOf(organisationSummarySchema), errors: [403, 422],
    async handle(c, { query }) {
      const { rows, total } = await listOrganisations(scope(c), { q: query.q, page: query.page, pageSize: query.per_page });
      return { data: rows.map((row) => ({ ...row, email_domains: domains(row.email_domains) })), page: query.page, per_page: query.per_page, total };
    },
  }),

  defineRoute({
    method: 'get', path: '/organisations/{id}', operationId: 'getOrganisation', tag: 'people', permission: 'people.view',
    summary: 'One organisation (customer)',
    params: idParams, status: 200, response: one(organisationSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      const row = await findOrganisation(scope(c), params.id);
      if (!row) throw new HttpError(404, c.var.t('api.organisationNotFound'));
      return {
        data: {
          id: row.id, name: row.name, number: row.number, email_domains: domains(row.email_domains), phone: row.phone,
          address: row.address, notes: row.notes, created_at: row.created_at,
        },
      };
    },
  }),
];
