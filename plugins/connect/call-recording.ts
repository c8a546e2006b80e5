import { MAX_ATTACHMENT_BYTES, attachmentType, cleanFilename, isLocale, pluginScope, tenantTicketService, type PluginJob, type Services } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';

/** A fetched recording: no more bytes than an attachment may have, no longer than this, no redirect followed. */
export const FETCH_TIMEOUT_MS = 20_000;
export const FETCH_BATCH = 5;

export class RecordingError extends Error {
  constructor(readonly field: string, readonly key: string, readonly status: 404 | 409 | 413 | 422) {
    super(key);
  }
}

/**
 * Puts a call's recording on its ticket as a note with the file (through the ticket service: the attachment rules
 * decide the type and size). The call must be the tenant's and have a ticket.
 */
export async function attachRecording(services: Services, tenantId: number, callId: string, file: { filename: string; bytes: Uint8Array }): Promise<string> {
  const scope = pluginScope<ConnectDB>(services.db, tenantId);
  const call = await scope.selectFrom('connect_calls as c').leftJoin('tickets as t', 't.id', 'c.ticket_id').select(['c.id', 'c.number', 'c.started_at', 't.number as ticket_number'])
    .where('c.call_id', '=', callId).executeTakeFirst();
  if (!call) throw new RecordingError('call_id', 'connect.recording.noCall', 404);
  if (!call.ticket_number) throw new RecordingError('call_id', 'connect.recording.noTicket', 409);
  const filename = cleanFilename(file.filename);
  if (!attachmentType(filename) || !/\.(wav|mp3|ogg|opus|m4a)$/i.test(filename)) throw new RecordingError('file', 'connect.recording.type', 422);
  if (file.bytes.byteLength === 0) throw new RecordingError('file', 'connect.payload.required', 422);
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new RecordingError('file', 'connect.recording.size', 413);
  const tenant = await services.tenants.byId(tenantId);
  const t = services.catalog.translator(isLocale(tenant?.locale) ? tenant.locale : 'en');
  const tickets = await tenantTicketService(services, tenantId);
  await tickets.addArticle(call.ticket_number, { kind: 'note', channel: 'phone', body: t('connect.recording.note', { number: call.number || '—' }), attachments: [{ filename, bytes: file.bytes }] },
    { kind: 'system', label: t('connect.phone.actor') });
  await scope.updateTable('connect_calls').set({ recording: 'attached', recording_url: null }).where('id', '=', call.id).execute();
  return call.ticket_number;
}

/** Reads a recording from `url`: http(s) only, no redirect, at most MAX_ATTACHMENT_BYTES, within FETCH_TIMEOUT_MS. */
export async function fetchRecording(url: string, signal?: AbortSignal): Promise<{ filename: string; bytes: Uint8Array }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('only http and https');
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const response = await fetch(parsed, { redirect: 'error', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ATTACHMENT_BYTES) throw new Error('too large');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ATTACHMENT_BYTES) throw new Error('too large');
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const name = decodeURIComponent(parsed.pathname.split('/').pop() ?? '') || 'recording.wav';
  return { filename: name, bytes };
}

/**
 * Every minute, per tenant: fetches the recordings the PBX announced by URL for calls that have a ticket by now
 * (a few at a time); a failure is kept on the call with why, and not tried again.
 */
export const fetchRecordingsJob: PluginJob = {
  id: 'fetch-recordings',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId === null || !ctx.services) return;
    const scope = pluginScope<ConnectDB>(ctx.db, ctx.tenantId);
    const pending = await scope.selectFrom('connect_calls').select(['id', 'call_id', 'recording_url']).where('recording', '=', 'pending').where('ticket_id', 'is not', null)
      .orderBy('id').limit(FETCH_BATCH).execute();
    for (const call of pending) {
      try {
        await attachRecording(ctx.services, ctx.tenantId, call.call_id, await fetchRecording(call.recording_url ?? '', ctx.signal));
      } catch (error) {
        const why = error instanceof RecordingError ? error.key : error instanceof Error ? error.message : String(error);
        await scope.updateTable('connect_calls').set({ recording: `failed: ${why}`.slice(0, 200) }).where('id', '=', call.id).execute();
      }
    }
  },
};
