/**
 * The core's slots: places on its pages where enabled plugins render views (`api.slot`).
 * Published through core/plugin-api; each slot's props are what the page hands its views.
 */
import type { Contract, Organisation, Ticket } from '../db/schema.js';
import type { PortalPerson } from '../http/app-env.js';
import type { PersonRecord } from '../people/record-queries.js';
import { defineSlot } from './refs.js';

/** Beside the agent dashboard's figures. */
export const DASHBOARD_SIDE = defineSlot<Record<string, never>>('dashboard.side');

export interface TicketSlotProps { ticket: Ticket }
/** The ticket page below the composer (a plugin's panels, e.g. service orders). */
export const TICKET_MAIN = defineSlot<TicketSlotProps>('ticket.main');
/** The ticket page's side column below the fields. */
export const TICKET_SIDE = defineSlot<TicketSlotProps>('ticket.side');
/** The ticket page header, after the status and priority badges (e.g. an SLA clock, a linked device). Also in the header's htmx refreshes. */
export const TICKET_BADGES = defineSlot<TicketSlotProps>('ticket.badges');

/** Tiles after the agent dashboard's status counts (render each with DashboardTile). */
export const DASHBOARD_TILES = defineSlot<Record<string, never>>('dashboard.tiles');

/** Entries of the staff user's menu beside their name (links such as "My on-call times"). */
export const USER_MENU = defineSlot<Record<string, never>>('shell.userMenu');

/** At the end of every staff page's body, over the page: live pop-ups (e.g. an incoming call); render nothing when there is none. */
export const SHELL_OVERLAY = defineSlot<Record<string, never>>('shell.overlay');

/**
 * Which create form renders TICKET_CREATE_FIELDS: the desk's new ticket ('phone' while its channel is
 * phone, the default; 'agent' for any other channel) or the portal's new request ('portal').
 */
export type TicketCreateSurface = 'agent' | 'phone' | 'portal';
interface TicketCreateFieldsBase {
  /** Everything the form sent (or the query string on first render); a plugin reads its own `p.<plugin>.<field>` values. */
  values: Readonly<Record<string, string>>;
  /** Field messages by name after a refused create; a plugin shows its own at its inputs. */
  errors: Readonly<Record<string, string>>;
}
/**
 * The desk's forms carry no person (the agent picks the requester on the form); the portal's carries its
 * signed-in viewer, the requester of the new ticket, so a plugin can offer what that person may see.
 */
export type TicketCreateFieldsProps =
  | (TicketCreateFieldsBase & { surface: 'agent' | 'phone'; person?: never })
  | (TicketCreateFieldsBase & { surface: 'portal'; person: PortalPerson });
/**
 * A plugin's inputs on the ticket create forms, named `p.<plugin>.<field>`. The form hands what they send to
 * `ticketService.create` as `pluginFields`; the plugin's TICKET_CREATED filter validates them inside the create
 * transaction (refuse with `invalidFields(message, { 'p.<plugin>.<field>': message })`: the form shows it at the
 * field, keeps every input and saves nothing) and stores them there. An input the form showed is always sent,
 * empty or not; a ticket created without it (mail, API, a surface the plugin skips) has no such key.
 */
export const TICKET_CREATE_FIELDS = defineSlot<TicketCreateFieldsProps>('ticket.createFields');

export interface OrganisationSlotProps { organisation: Organisation }
/** The agent's page of a customer (`/desk/organisations/:id`), beside its facts, people and contracts. */
export const ORGANISATION_PAGE = defineSlot<OrganisationSlotProps>('organisation.page');

export interface PersonSlotProps { person: PersonRecord }
/** The agent's page of a contact person (`/desk/people/:id`), beside their facts. */
export const PERSON_PAGE = defineSlot<PersonSlotProps>('person.page');

export interface ContractSlotProps { contract: Contract; organisation: Organisation }
/** The agent's page of a contract (`/desk/contracts/:id`), beside its facts (e.g. a plugin's service levels). */
export const CONTRACT_PAGE = defineSlot<ContractSlotProps>('contract.page');
