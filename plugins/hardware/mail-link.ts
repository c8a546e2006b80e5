import { scopeFor, type FilterContext, type TicketChangePayload } from '../../core/plugin-api.js';
import type { HardwareDB } from './hardware-db.js';
import { mailPatternProblem } from './mail-pattern.js';
import { readSettings } from './settings.js';

/** The inventory numbers a subject names, each once, in order (the first group of every match). */
export function inventoryNumbers(subject: string, pattern: string): string[] {
  if (mailPatternProblem(pattern)) return [];
  const found: string[] = [];
  for (const match of subject.slice(0, 1000).matchAll(new RegExp(pattern, 'gi'))) {
    const number = match[1]?.trim();
    if (number && !found.includes(number)) found.push(number);
  }
  return found.slice(0, 10);
}

/**
 * The mail channel's link (a TICKET_CREATED filter, inside the create transaction, so the sla plugin's handler
 * after commit sees the link): a ticket that came by mail is linked to the devices its subject names by inventory
 * number, with the reason "question" and the ticket's date. Only devices of the ticket's organisation are linked;
 * a ticket without an organisation links none (a sender unknown to the tenant must not reach any customer's
 * device by guessing a number). An unknown number is no error: the mail is a ticket all the same.
 */
export async function linkMailedDevices(payload: TicketChangePayload, { scope }: FilterContext): Promise<void> {
  const tx = scopeFor<HardwareDB>(scope);
  const ticket = await tx.selectFrom('tickets').select(['id', 'subject', 'channel', 'organisation_id', 'created_at']).where('id', '=', payload.ticketId).executeTakeFirst();
  if (!ticket || ticket.channel !== 'mail' || ticket.organisation_id === null) return;
  const numbers = inventoryNumbers(ticket.subject, (await readSettings(scope)).mailPattern);
  if (!numbers.length) return;
  const devices = await tx.selectFrom('hardware_devices').select('id').where('organisation_id', '=', ticket.organisation_id).where('inventory_number', 'in', numbers)
    .where('id', 'not in', tx.selectFrom('hardware_ticket_links').select('device_id').where('ticket_id', '=', ticket.id)).execute();
  if (!devices.length) return;
  await tx.insertInto('hardware_ticket_links', devices.map((device) => ({
    ticket_id: ticket.id, device_id: device.id, reason: 'question' as const, ticket_date: ticket.created_at, linked_at: ticket.created_at, linked_by: null,
  }))).execute();
}
