import { DomainError, invalidFields, pluginScope, zonedToIso, type Services } from '../../core/plugin-api.js';
import { isDate } from './business-calendar.js';
import { NAME_MAX, isZone } from './calendar-store.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { ROTA_WEEKDAYS, type Rota, type RotaOverride, type RotaWeekday } from './rota-time.js';

export interface RotaRow { id: number; name: string; time_zone: string; freq: string; interval: number; by_day: string; handover: string; start_date: string; participants: string }
/** What the rota form sends. */
export interface RotaInput { name: string; zone: string; freq: string; interval: string; byDay: string[]; handover: string; startDate: string; participants: string[] }
/** What the override form sends: wall-clock times in the rota's zone ("2026-03-02T09:00"). */
export interface OverrideInput { userId: string; from: string; until: string }
interface Actor { id: number | null; label: string }

const HANDOVER = /^([01]\d|2[0-3]):[0-5]\d$/;
export const INTERVAL_MAX = 52;
export const PARTICIPANTS_MAX = 50;

export function toRota(row: RotaRow): Rota {
  return {
    zone: row.time_zone, freq: row.freq === 'WEEKLY' ? 'WEEKLY' : 'DAILY', interval: row.interval,
    byDay: row.by_day ? (row.by_day.split(',') as RotaWeekday[]) : [], handover: row.handover, startDate: row.start_date,
    participants: JSON.parse(row.participants) as number[],
  };
}

/** On-call rotas and their overrides (admins set them up; everyone with sla.view reads them). */
export function rotaStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaEscalationDB>(services.db, tenantId);
  const now = () => services.clock().toISOString();
  const audit = (actor: Actor, action: string, target: string, trx = services.db) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);
  const columns = ['id', 'name', 'time_zone', 'freq', 'interval', 'by_day', 'handover', 'start_date', 'participants'] as const;

  async function get(id: number): Promise<RotaRow> {
    const row = await scope.selectFrom('sla_rotas').select([...columns]).where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  }

  /** The tenant's active staff (who may be on call), by name. */
  async function staffUsers(): Promise<Array<{ id: number; name: string; email: string }>> {
    return services.db.selectFrom('users').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).where('active', '=', 1)
      .where('role', 'in', ['agent', 'supervisor', 'admin']).orderBy('name').execute();
  }

  async function check(input: RotaInput) {
    const fields: Record<string, string> = {};
    const name = input.name.trim();
    if (!name) fields.name = 'sla.field.required';
    else if (name.length > NAME_MAX) fields.name = 'sla.field.tooLong';
    const zone = input.zone.trim();
    if (!isZone(zone)) fields.zone = 'sla.calendar.zoneInvalid';
    const freq = input.freq === 'WEEKLY' ? 'WEEKLY' : input.freq === 'DAILY' ? 'DAILY' : null;
    if (!freq) fields.freq = 'sla.rota.freqInvalid';
    const interval = Number(input.interval);
    if (!/^\d+$/.test(input.interval.trim()) || interval < 1 || interval > INTERVAL_MAX) fields.interval = 'sla.rota.intervalInvalid';
    const byDay = ROTA_WEEKDAYS.filter((day) => input.byDay.includes(day));
    if (byDay.length !== new Set(input.byDay).size) fields.byDay = 'sla.rota.byDayInvalid';
    if (!HANDOVER.test(input.handover.trim())) fields.handover = 'sla.rota.handoverInvalid';
    if (!isDate(input.startDate.trim())) fields.startDate = 'sla.rota.startInvalid';
    const staff = new Set((await staffUsers()).map((user) => user.id));
    const participants = input.participants.map(Number);
    if (participants.length === 0) fields.participants = 'sla.rota.participantsRequired';
    else if (participants.length > PARTICIPANTS_MAX || new Set(participants).size !== participants.length || participants.some((id) => !staff.has(id))) fields.participants = 'sla.rota.participantsInvalid';
    if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
    return { name, time_zone: zone, freq: freq!, interval, by_day: freq === 'WEEKLY' ? byDay.join(',') : '', handover: input.handover.trim(), start_date: input.startDate.trim(), participants: JSON.stringify(participants) };
  }

  const store = {
    get,
    staffUsers,

    list(): Promise<RotaRow[]> {
      return scope.selectFrom('sla_rotas').select([...columns]).orderBy('name').execute();
    },

    async save(id: number | null, input: RotaInput, actor: Actor): Promise<number> {
      const values = await check(input);
      if (id !== null) await get(id);
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const clash = await tx.selectFrom('sla_rotas').select('id').where('name', '=', values.name).$if(id !== null, (q) => q.where('id', '!=', id!)).executeTakeFirst();
        if (clash) throw new DomainError('conflict', 'error.invalid', { name: 'sla.field.taken' });
        const savedId = id === null
          ? (await tx.insertInto('sla_rotas', { ...values, created_at: now(), updated_at: now() }).returning('id').executeTakeFirstOrThrow()).id
          : (await tx.updateTable('sla_rotas').set({ ...values, updated_at: now() }).where('id', '=', id).execute(), id);
        await audit(actor, id === null ? 'sla.rota_created' : 'sla.rota_changed', values.name, trx);
        return savedId;
      });
    },

    async remove(id: number, actor: Actor): Promise<void> {
      const row = await get(id);
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('sla_rotas').where('id', '=', id).execute();
        await audit(actor, 'sla.rota_deleted', row.name, trx);
      });
    },

    /** The rota and its overrides ending after `since` (epoch ms), as the arithmetic takes them. */
    async load(id: number, since = 0): Promise<{ row: RotaRow; rota: Rota; overrides: RotaOverride[] }> {
      const row = await get(id);
      const overrides = await scope.selectFrom('sla_rota_overrides').select(['user_id', 'from_at', 'until_at']).where('rota_id', '=', id)
        .where('until_at', '>', new Date(since).toISOString()).orderBy('id').execute();
      return { row, rota: toRota(row), overrides: overrides.map((o) => ({ userId: o.user_id, from: Date.parse(o.from_at), until: Date.parse(o.until_at) })) };
    },

    listOverrides(rotaId: number) {
      return scope.selectFrom('sla_rota_overrides').select(['id', 'user_id', 'from_at', 'until_at']).where('rota_id', '=', rotaId)
        .where('until_at', '>', now()).orderBy('from_at').execute();
    },

    async addOverride(rotaId: number, input: OverrideInput, actor: Actor): Promise<void> {
      const row = await get(rotaId);
      const fields: Record<string, string> = {};
      const userId = Number(input.userId);
      if (!(await staffUsers()).some((user) => user.id === userId)) fields.userId = 'sla.rota.participantsInvalid';
      const from = zonedToIso(input.from, row.time_zone);
      const until = zonedToIso(input.until, row.time_zone);
      if (!from) fields.from = 'sla.rota.timeInvalid';
      if (!until) fields.until = 'sla.rota.timeInvalid';
      else if (from && until <= from) fields.until = 'sla.rota.untilBeforeFrom';
      if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).insertInto('sla_rota_overrides', { rota_id: rotaId, user_id: userId, from_at: from!, until_at: until!, created_at: now() }).execute();
        await audit(actor, 'sla.rota_override_added', row.name, trx);
      });
    },

    async removeOverride(rotaId: number, overrideId: number, actor: Actor): Promise<void> {
      const row = await get(rotaId);
      const found = await scope.selectFrom('sla_rota_overrides').select('id').where('id', '=', overrideId).where('rota_id', '=', rotaId).executeTakeFirst();
      if (!found) throw new DomainError('not_found', 'error.notFound');
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('sla_rota_overrides').where('id', '=', overrideId).execute();
        await audit(actor, 'sla.rota_override_removed', row.name, trx);
      });
    },
  };
  return store;
}
