import { invalidFields, scopeFor, type FilterContext, type SlotContext, type TicketChangePayload, type TicketCreateFieldsProps } from '../../core/plugin-api.js';
import { CALL_FIELD } from './call-popup.js';
import type { ConnectDB } from './connect-db.js';

/** The phone ticket form opened from a call's pop-up carries the call (hidden): the new ticket is linked to it. */
export function CallField(ctx: SlotContext<TicketCreateFieldsProps>) {
  const value = ctx.props.values[CALL_FIELD];
  if (ctx.props.surface === 'portal' || !value || !/^\d{1,12}$/.test(value)) return null;
  return <input type="hidden" name={CALL_FIELD} value={value} />;
}

/**
 * The TICKET_CREATED filter: a ticket made for a call becomes the call's ticket (in the create transaction), and a
 * missed call's to-do is done with it. A call of another tenant, or one that has a ticket already, is refused at the
 * field (nothing is saved).
 */
export async function callLinked(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
  const raw = payload.pluginFields[CALL_FIELD];
  if (raw === undefined || raw === '') return;
  const id = Number(raw);
  const scope = scopeFor<ConnectDB>(ctx.scope);
  const call = Number.isSafeInteger(id) && id > 0 ? await scope.selectFrom('connect_calls').select(['id', 'ticket_id']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!call || call.ticket_id !== null) throw invalidFields('connect.call.linkRefused', { [CALL_FIELD]: 'connect.call.linkRefused' });
  await scope.updateTable('connect_calls').set({ ticket_id: payload.ticketId, todo_open: 0 }).where('id', '=', call.id).execute();
}
