import type { Context, Hono } from 'hono';
import type { TicketStatus } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { resolvePicked } from './organisation-picker.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { toast } from '../../http/render.js';
import { filesFromForm } from '../../tickets/attachment-rules.js';
import { customInputFromForm, fieldsFor } from '../../tickets/custom-fields.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { TICKET_STATUSES } from '../../tickets/ticket-lifecycle.js';
import type { TicketPatch } from '../../tickets/ticket-service.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { activeFieldDefinitions } from '../../tickets/custom-field-definitions.js';
import { lastValues, respondWithTicket, type TicketPart } from './ticket-page.js';
import { ticketMergeRoutes } from './ticket-merge-actions.js';
import { macroChanges, replySignature, signComposed, timeSpentFrom } from './reply-submit.js';
import { composedArticle, discardDraft } from './reply-send.js';
import { replyComposerRoutes } from './reply-composer-routes.js';
import { StaleTicketError } from '../../tickets/ticket-stale-fields.js';
import { versionOf } from './ticket-version-parts.js';
import { waitingInstant } from './ticket-waiting.js';

const MAX_TEXT = 100_000;

const idOrNull = (value: string | undefined): number | null | 'invalid' => {
  if (value === undefined || value.trim() === '') return null;
  return /^\d+$/.test(value.trim()) ? Number(value) : 'invalid';
};

/** After a change: the changed parts for htmx, else back to the page (Post/Redirect/Get). */
function done(c: Context<AppEnv>, number: string, part: TicketPart, message: string) {
  if (isHtmx(c)) {
    toast(c, 'success', message);
    return respondWithTicket(c, number, part);
  }
  flash(c, 'success', message);
  return redirectTo(c, href(c, `/desk/tickets/${number}`));
}

/** A refusal with field messages goes back into the form it came from; other refusals become the error page or toast. */
async function refusedForm(c: Context<AppEnv>, error: unknown, number: string, part: 'composer' | 'fields' | 'header' | 'actions', values: Record<string, string>) {
  // Someone changed what this save sets after the form was loaded: 409, the form again with the input kept, what they changed listed
  // and at the fields, and the version it now shows (sending it again is a deliberate overwrite).
  if (error instanceof StaleTicketError) {
    const form = { values, errors: { ...error.fields, _form: error.message }, changes: error.changes };
    const state = part === 'composer' ? { composer: form } : part === 'fields' ? { fields: form } : part === 'header' ? { forward: form } : { actions: form };
    const organisationId = part === 'fields' && 'organisation_id' in values ? (/^\d+$/.test(values.organisation_id!) ? Number(values.organisation_id) : null) : undefined;
    return respondWithTicket(c, number, part === 'actions' ? 'header' : part, { state, status: 409, organisationId });
  }
  const refusal = toHttpError(error);
  if (refusal?.status !== 422) throw error;
  const errors = Object.keys(refusal.fields).length ? { ...refusal.fields } : { _form: refusal.message };
  const form = { values, errors };
  const state = part === 'composer' ? { composer: form } : part === 'fields' ? { fields: form } : { forward: form };
  // The fields form shows the organisation it posted (its name, its people and contracts), not the saved one.
  const organisationId = part === 'fields' && 'organisation_id' in values ? (/^\d+$/.test(values.organisation_id!) ? Number(values.organisation_id) : null) : undefined;
  return respondWithTicket(c, number, part === 'actions' ? 'header' : part, { state, status: 422, organisationId });
}

export function ticketActionRoutes(app: Hono<AppEnv>): void {
  const edit = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;
  const remove = [requireTenant, requireUser, requirePermission('tickets.delete')] as const;

  /** Every action first finds the ticket in this tenant, so a foreign number is 404 before anything else is looked at. */
  const ticketOf = async (c: Context<AppEnv>) => (await findTicket(c, c.req.param('number')!)).number;

  app.post(`${TICKET_PATH}/accept`, ...edit, async (c) => {
    const number = await ticketOf(c);
    const values = lastValues(await c.req.parseBody({ all: true }));
    const priority = values.priority ? Number(values.priority) : undefined;
    try {
      await ticketService(c).accept(number, ticketActor(c), priority, { version: versionOf(values) });
    } catch (error) {
      if (error instanceof StaleTicketError) return refusedForm(c, error, number, 'actions', values);
      throw error;
    }
    return done(c, number, 'header', c.var.t('ticketPage.accepted', { number }));
  });

  app.post(`${TICKET_PATH}/status`, ...edit, async (c) => {
    const number = await ticketOf(c);
    const values = lastValues(await c.req.parseBody({ all: true }));
    const to = values.to as TicketStatus;
    if (!TICKET_STATUSES.includes(to)) throw new HttpError(422, c.var.t('ticketPage.invalidStatus'), { to: c.var.t('validation.choice') });
    let ticket;
    try {
      ticket = await ticketService(c).changeStatus(number, to, ticketActor(c), { version: versionOf(values) });
    } catch (error) {
      if (error instanceof StaleTicketError) return refusedForm(c, error, number, 'actions', values);
      throw error;
    }
    return done(c, number, 'header', c.var.t('ticketPage.statusChanged', { status: c.var.t(`status.${ticket.status}`) }));
  });

  app.post(`${TICKET_PATH}/articles`, ...edit, async (c) => {
    const t = c.var.t;
    const number = await ticketOf(c);
    const body = await c.req.parseBody({ all: true });
    const values = lastValues(body);
    const kind = values.kind === 'note' ? 'note' : 'reply';
    const text = values.body ?? '';
    const statusAfter = values.statusAfter === 'waiting' || values.statusAfter === 'solved' ? values.statusAfter : undefined;
    if (values.statusAfter && !statusAfter) return refusedForm(c, new HttpError(422, t('error.invalid'), { statusAfter: t('validation.choice') }), number, 'composer', values);
    if (text.length > MAX_TEXT) return refusedForm(c, new HttpError(422, t('error.invalid'), { body: t('validation.tooLong', { max: MAX_TEXT }) }), number, 'composer', values);
    // "Waiting until" goes with the status waiting only (the field shows while it is chosen); empty means no time.
    const until = statusAfter === 'waiting' ? waitingInstant(values.waiting_until, tenantOf(c).time_zone) : null;
    if (until === undefined) return refusedForm(c, new HttpError(422, t('error.invalid'), { waiting_until: t('waiting.invalid') }), number, 'composer', values);
    try {
      // The minutes spent, the signature and what a macro filled (and the agent kept) go with the article, in one
      // transaction; the composer renders the signed text (markdown) to safe HTML and plain text, with CC/BCC and the
      // draft's files, and the draft goes once it is sent.
      const ticket = await findTicket(c, number);
      const timeSpentMinutes = timeSpentFrom(c, values.time_spent);
      const composed = signComposed(await composedArticle(c, ticket, { kind, source: text, values, formFiles: await filesFromForm(body.attachments) }),
        await replySignature(c, ticket, kind, text, values.no_signature === '1'));
      await ticketService(c).apply(number, {
        ...macroChanges(values, ticket),
        article: { kind, statusAfter, timeSpentMinutes, ...(until ? { waitingUntil: until } : {}), ...composed },
        version: versionOf(values),
      }, ticketActor(c));
      await discardDraft(c, ticket);
    } catch (error) {
      return refusedForm(c, error, number, 'composer', values);
    }
    return done(c, number, 'composer', t(kind === 'note' ? 'ticketPage.noteSaved' : 'ticketPage.replySent'));
  });

  app.post(`${TICKET_PATH}/forward`, ...edit, async (c) => {
    const t = c.var.t;
    const number = await ticketOf(c);
    const values = lastValues(await c.req.parseBody({ all: true }));
    const groupId = idOrNull(values.group_id);
    const assigneeId = idOrNull(values.assignee_id);
    const errors: Record<string, string> = {};
    if (groupId === 'invalid') errors.group_id = t('validation.choice');
    if (assigneeId === 'invalid') errors.assignee_id = t('validation.choice');
    for (const name of ['note', 'customerMessage']) if ((values[name] ?? '').length > MAX_TEXT) errors[name] = t('validation.tooLong', { max: MAX_TEXT });
    try {
      if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
      await ticketService(c).forward(number, {
        groupId: groupId as number | null, assigneeId: assigneeId as number | null,
        note: values.note?.trim() || undefined, customerMessage: values.customerMessage?.trim() || undefined,
      }, ticketActor(c), { version: versionOf(values) });
    } catch (error) {
      return refusedForm(c, error, number, 'header', values);
    }
    return done(c, number, 'header', t('ticketPage.forwarded', { number }));
  });

  app.post(`${TICKET_PATH}/fields`, ...edit, async (c) => {
    const t = c.var.t;
    const number = await ticketOf(c);
    const body = await c.req.parseBody({ all: true });
    const values = lastValues(body);
    const errors: Record<string, string> = {};
    const patch: TicketPatch = {};
    if ('priority' in values) {
      const priority = Number(values.priority);
      if (Number.isInteger(priority)) patch.priority = priority;
      else errors.priority = t('validation.choice');
    }
    if ('category' in values) patch.category = values.category!.trim();
    // Without JavaScript the organisation picker posts a typed name; it becomes the id here (or a field message).
    const pickError = await resolvePicked(c, values, 'organisation_id');
    if (pickError) errors.organisation_id = pickError;
    const references = [['organisation_id', 'organisationId'], ['requester_id', 'requesterId'], ['contract_id', 'contractId']] as const;
    for (const [name, key] of references) {
      if (!(name in values)) continue;
      const id = idOrNull(values[name]);
      if (id === 'invalid') errors[name] = t('validation.choice');
      else patch[key] = id;
    }
    // Without JavaScript a changed category still posts the old category's fields: keep only those of the new one.
    const category = patch.category !== undefined ? patch.category || null : (await findTicket(c, number)).category;
    const applicable = new Set(fieldsFor(await activeFieldDefinitions(scope(c)), category).map((f) => f.key));
    const custom = customInputFromForm(body);
    patch.customFields = Object.fromEntries(Object.entries(custom).filter(([key]) => applicable.has(key)));
    try {
      if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
      await ticketService(c).update(number, patch, ticketActor(c), { version: versionOf(values) });
    } catch (error) {
      return refusedForm(c, error, number, 'fields', values);
    }
    return done(c, number, 'fields', t('ticketPage.fieldsSaved'));
  });

  ticketMergeRoutes(app);
  replyComposerRoutes(app);

  app.post(`${TICKET_PATH}/delete`, ...remove, async (c) => {
    const number = await ticketOf(c);
    // Only from the confirmation, which says what deleting means (a bare post, e.g. an old form, deletes nothing).
    const body = await c.req.parseBody();
    if (body.confirm !== '1') {
      flash(c, 'error', c.var.t('ticketPage.deleteUnconfirmed'));
      return redirectTo(c, href(c, `/desk/tickets/${number}`));
    }
    await ticketService(c).remove(number, ticketActor(c));
    flash(c, 'success', c.var.t('ticketPage.deleted', { number }));
    return redirectTo(c, href(c, `/desk/tickets/${number}`));
  });

  app.post(`${TICKET_PATH}/restore`, ...remove, async (c) => {
    const number = await ticketOf(c);
    await ticketService(c).restore(number, ticketActor(c));
    flash(c, 'success', c.var.t('ticketPage.restored', { number }));
    return redirectTo(c, href(c, `/desk/tickets/${number}`));
  });
}
