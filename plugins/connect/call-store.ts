import { pluginScope, tenantPhoneCountry, type Services } from '../../core/plugin-api.js';
import { lookUpCaller } from './call-lookup.js';
import type { ConnectDB } from './connect-db.js';
import { normalisePhone } from './phone-number.js';
import { telephonySettings } from './telephony-settings.js';
import type { CallEvent } from './telephony-event.js';

/**
 * The live event a ringing, answered or ended call sends, named per agent (`connect-call-<user id>`) so only that
 * agent's open pages reload their pop-up; it carries nothing else (the fragment is read with the viewer's rights).
 */
export const callLiveEvent = (userId: number) => `connect-call-${userId}`;

export type CallOutcome = 'ringing' | 'answered' | 'ended' | 'missed' | 'ignored';
export interface CallSettled { outcome: CallOutcome; call: string; match?: string }

const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message ?? '');
};

/**
 * What a call event does: newCall writes the call (the outside number in E.164, the caller looked up, the agent by
 * extension), answer and hangup move it on; an incoming call that ends unanswered is missed and becomes a to-do of
 * the tenant's call-back group. Each step tells the agent's open pages to reload the pop-up.
 */
export async function callProcessor(services: Services, tenantId: number) {
  const scope = pluginScope<ConnectDB>(services.db, tenantId);
  const settings = await telephonySettings(scope);
  // One phone country per tenant: core's (Administration › Support contacts), as the directory reads numbers.
  const country = await tenantPhoneCountry(services.db, tenantId);
  const live = (userId: number | null) => {
    if (userId !== null) services.events.publish({ tenantId, type: callLiveEvent(userId), data: {} });
  };
  const userOf = async (extensions: readonly string[]): Promise<{ extension: string; userId: number | null }> => {
    if (!extensions.length) return { extension: '', userId: null };
    const row = await scope.selectFrom('connect_extensions').select(['extension', 'user_id']).where('extension', 'in', [...extensions]).orderBy('id').executeTakeFirst();
    return row ? { extension: row.extension, userId: row.user_id } : { extension: extensions[0]!, userId: null };
  };
  const find = (callId: string) => scope.selectFrom('connect_calls').selectAll().where('call_id', '=', callId).executeTakeFirst();

  return async function handle(event: CallEvent): Promise<CallSettled> {
    const now = services.clock().toISOString();
    if (event.ignored) return { outcome: 'ignored', call: event.callId };
    const existing = await find(event.callId);
    if (event.event === 'newCall') {
      const agent = await userOf(event.users);
      if (existing) {
        // A second newCall of the same call (the PBX rings the next agent, or AMI's DialBegin after Newchannel).
        if (existing.state === 'ringing' && agent.extension) {
          await scope.updateTable('connect_calls').set({ extension: agent.extension, user_id: agent.userId }).where('id', '=', existing.id).execute();
          live(agent.userId);
        }
        return { outcome: 'ringing', call: event.callId, match: existing.match };
      }
      const outside = normalisePhone(event.direction === 'in' ? event.from : event.to, country);
      const number = outside.kind === 'e164' ? outside.value : '';
      const caller = await lookUpCaller(scope, number, country);
      const person = caller.people[0] ?? null;
      try {
        await scope.insertInto('connect_calls', {
          call_id: event.callId, direction: event.direction, from_number: event.from, to_number: event.to, number, extension: agent.extension,
          user_id: agent.userId, person_id: person?.id ?? null, organisation_id: caller.organisation?.id ?? null, match: caller.match, state: 'ringing',
          missed: 0, cause: '', started_at: now, answered_at: null, ended_at: null, duration_s: null, ticket_id: null, group_id: null, todo_open: 0,
          popup_closed: 0, recording: '', recording_url: null,
        }).execute();
      } catch (error) {
        // The same newCall twice at once: the other request wrote it.
        if (!isUniqueViolation(error)) throw error;
      }
      live(agent.userId);
      return { outcome: 'ringing', call: event.callId, match: caller.match };
    }
    if (!existing) return { outcome: 'ignored', call: event.callId };
    if (event.event === 'answer') {
      if (existing.state !== 'ringing') return { outcome: 'ignored', call: event.callId };
      const agent = event.users.length ? await userOf(event.users) : { extension: existing.extension, userId: existing.user_id };
      await scope.updateTable('connect_calls').set({ state: 'answered', answered_at: now, extension: agent.extension, user_id: agent.userId })
        .where('id', '=', existing.id).where('state', '=', 'ringing').execute();
      if (existing.user_id !== agent.userId) live(existing.user_id);
      live(agent.userId);
      return { outcome: 'answered', call: event.callId, match: existing.match };
    }
    if (existing.state === 'ended') return { outcome: 'ignored', call: event.callId };
    const answered = existing.answered_at !== null;
    const missed = existing.direction === 'in' && !answered && event.cause !== 'forwarded';
    const duration = answered ? Math.max(0, Math.round((Date.parse(now) - Date.parse(existing.answered_at!)) / 1000)) : null;
    await scope.updateTable('connect_calls').set({
      state: 'ended', ended_at: now, cause: event.cause, duration_s: duration, missed: missed ? 1 : 0,
      todo_open: missed && existing.ticket_id === null ? 1 : 0, group_id: missed ? settings.missedGroupId : null,
    }).where('id', '=', existing.id).where('state', '<>', 'ended').execute();
    live(existing.user_id);
    return { outcome: missed ? 'missed' : 'ended', call: event.callId, match: existing.match };
  };
}
