/**
 * The core's slots: places on its pages where enabled plugins render views (`api.slot`).
 * Published through core/plugin-api; each slot's props are what the page hands its views.
 */
import type { Contract, Organisation, Ticket } from '../db/schema.js';
import type { PersonRecord } from '../people/record-queries.js';
import { defineSlot } from './refs.js';

/** Beside the agent dashboard's figures. */
export const DASHBOARD_SIDE = defineSlot<Record<string, never>>('dashboard.side');

export interface TicketSlotProps { ticket: Ticket }
/** The ticket page below the composer (a plugin's panels, e.g. service orders). */
export const TICKET_MAIN = defineSlot<TicketSlotProps>('ticket.main');
/** The ticket page's side column below the fields. */
export const TICKET_SIDE = defineSlot<TicketSlotProps>('ticket.side');

export interface OrganisationSlotProps { organisation: Organisation }
/** The agent's page of a customer (`/desk/organisations/:id`), beside its facts, people and contracts. */
export const ORGANISATION_PAGE = defineSlot<OrganisationSlotProps>('organisation.page');

export interface PersonSlotProps { person: PersonRecord }
/** The agent's page of a contact person (`/desk/people/:id`), beside their facts. */
export const PERSON_PAGE = defineSlot<PersonSlotProps>('person.page');

export interface ContractSlotProps { contract: Contract; organisation: Organisation }
/** The agent's page of a contract (`/desk/contracts/:id`), beside its facts (e.g. a plugin's service levels). */
export const CONTRACT_PAGE = defineSlot<ContractSlotProps>('contract.page');
