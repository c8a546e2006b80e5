import type { Context, Hono } from 'hono';
import { pluginScope, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { RecordingError, attachRecording } from './call-recording.js';
import { callProcessor } from './call-store.js';
import type { ConnectDB } from './connect-db.js';
import { BODY_MAX } from './event-log.js';
import { PayloadError } from './parse/monitoring-event.js';
import { sourceStore } from './source-store.js';
import { parseCallEvent, type CallEvent } from './telephony-event.js';
import { TELEPHONY_KIND } from './telephony-kind.js';

/** Events a tenant's phone system may post a minute (a busy hotline sends a few per call); more get 429. */
export const CALL_EVENTS_PER_MINUTE = 600;
/** A recording may be as large as an attachment (core's 10 MiB) plus the form around it. */
const RECORDING_BODY_MAX = 11 * 1024 * 1024;

const fail = (c: Context<AppEnv>, status: 400 | 401 | 404 | 409 | 413 | 422 | 429, code: string, message: string, fields: Record<string, string> = {}) =>
  c.json({ error: { code, message, fields } }, status);
const storable = (body: string) => body.replace(/\u0000/g, '\ufffd');

/** The raw event in the plugin's event log (kept 7 days, listed on the admin page with its outcome). */
async function logEvent(c: Context<AppEnv>, body: string, event: CallEvent | null, outcome: string, detail = ''): Promise<void> {
  await pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id).insertInto('connect_events', {
    kind: TELEPHONY_KIND, received_at: c.var.services.clock().toISOString(), body: storable(body), host: event?.from ?? '', service: event?.to ?? '',
    state: event?.event ?? '', state_class: 'other', outcome, detail: storable(detail.slice(0, 1000)), ticket_id: null, dedup_key: event?.callId ?? '', nonce: '',
  }).execute();
}

async function authorised(c: Context<AppEnv>): Promise<boolean> {
  const authorization = c.req.header('Authorization') ?? '';
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  return sourceStore(c.var.services, tenantOf(c).id).verify(TELEPHONY_KIND, token);
}

/**
 * `POST /t/<slug>/hooks/telephony`: a call event of the tenant's phone system with its token (`Authorization:
 * Bearer`), in the generic CTI format or as an Asterisk AMI event (see telephony-event.ts). 401 without the token,
 * 413 too large, 429 over the minute's limit, 400/422 with the field (logged raw), else 202 with what it did.
 * `POST …/hooks/telephony/recordings`: a call's recording, multipart (`call_id`, `file`) attached to its ticket at
 * once, or `call_id` and `url` (form or JSON) fetched by a job when the call has a ticket.
 */
export function telephonyRoutes(app: Hono<AppEnv>): void {
  app.post('/hooks/telephony', async (c) => {
    const t = c.var.t;
    if (!(await authorised(c))) return fail(c, 401, 'unauthorized', t('connect.webhook.token'));
    if (Number(c.req.header('Content-Length') ?? 0) > BODY_MAX) return fail(c, 413, 'too_large', t('error.tooLarge'));
    const body = await c.req.text();
    if (body.length > BODY_MAX) return fail(c, 413, 'too_large', t('error.tooLarge'));
    // A fixed window of a minute per tenant, shared by every instance on PostgreSQL (as the monitoring hook's).
    const decision = await c.var.services.apiLimiter.take(`connect-telephony:${tenantOf(c).id}`, CALL_EVENTS_PER_MINUTE);
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.resetSeconds));
      return fail(c, 429, 'rate_limited', t('connect.call.rate'));
    }
    let event: CallEvent;
    try {
      event = parseCallEvent(body, c.req.header('Content-Type') ?? '');
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      const message = t(error.key);
      await logEvent(c, body, null, 'invalid', `${error.field}: ${message}`);
      return fail(c, error.status, 'invalid', t('error.invalid'), { [error.field]: message });
    }
    try {
      const settled = await (await callProcessor(c.var.services, tenantOf(c).id))(event);
      await logEvent(c, body, event, settled.outcome);
      return c.json({ data: settled }, 202);
    } catch (error) {
      await logEvent(c, body, event, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  });

  app.post('/hooks/telephony/recordings', async (c) => {
    const t = c.var.t;
    if (!(await authorised(c))) return fail(c, 401, 'unauthorized', t('connect.webhook.token'));
    if (Number(c.req.header('Content-Length') ?? 0) > RECORDING_BODY_MAX) return fail(c, 413, 'too_large', t('error.tooLarge'));
    const type = c.req.header('Content-Type') ?? '';
    let form: Record<string, unknown>;
    try {
      form = type.startsWith('application/json') ? await c.req.json() as Record<string, unknown> : await c.req.parseBody();
    } catch {
      return fail(c, 400, 'invalid', t('error.invalid'), { body: t('connect.payload.json') });
    }
    if (typeof form !== 'object' || form === null || Array.isArray(form)) return fail(c, 422, 'invalid', t('error.invalid'), { body: t('connect.payload.object') });
    const callId = typeof form.call_id === 'string' ? form.call_id.trim() : '';
    if (!callId || callId.length > 120) return fail(c, 422, 'invalid', t('error.invalid'), { call_id: t('connect.payload.required') });
    const scope = pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id);
    try {
      if (form.file instanceof File) {
        const ticket = await attachRecording(c.var.services, tenantOf(c).id, callId, { filename: form.file.name, bytes: new Uint8Array(await form.file.arrayBuffer()) });
        return c.json({ data: { call: callId, outcome: 'attached', ticket } }, 201);
      }
      const url = typeof form.url === 'string' ? form.url.trim() : '';
      if (!/^https?:\/\/\S{1,2000}$/i.test(url) || !URL.canParse(url)) return fail(c, 422, 'invalid', t('error.invalid'), { url: t('connect.recording.url') });
      const call = await scope.selectFrom('connect_calls').select('id').where('call_id', '=', callId).executeTakeFirst();
      if (!call) throw new RecordingError('call_id', 'connect.recording.noCall', 404);
      await scope.updateTable('connect_calls').set({ recording: 'pending', recording_url: url }).where('id', '=', call.id).execute();
      return c.json({ data: { call: callId, outcome: 'pending' } }, 202);
    } catch (error) {
      if (!(error instanceof RecordingError)) throw error;
      return fail(c, error.status, 'invalid', t('error.invalid'), { [error.field]: t(error.key) });
    }
  });
}
