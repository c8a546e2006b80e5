/**
 * The core's slots: places on its pages where enabled plugins render views (`api.slot`).
 * Published through core/plugin-api; each slot's props are what the page hands its views.
 */
import type { Ticket } from '../db/schema.js';
import { defineSlot } from './refs.js';

/** Beside the agent dashboard's figures. */
export const DASHBOARD_SIDE = defineSlot<Record<string, never>>('dashboard.side');

export interface TicketSlotProps { ticket: Ticket }
/** The ticket page below the composer (a plugin's panels, e.g. service orders). */
export const TICKET_MAIN = defineSlot<TicketSlotProps>('ticket.main');
/** The ticket page's side column below the fields. */
export const TICKET_SIDE = defineSlot<TicketSlotProps>('ticket.side');
