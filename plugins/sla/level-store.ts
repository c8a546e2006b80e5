import { DomainError, invalidFields, pluginScope, type Services } from '../../core/plugin-api.js';
import { NAME_MAX } from './calendar-store.js';
import { enqueueTickets, ticketsAffectedBy, ticketsOfLevels } from './recompute-queue.js';
import { checkFirstLine, type FirstLineInput } from './first-line-store.js';
import type { SlaDB } from './sla-db.js';
import { CLOCK_KINDS, type ClockKind, type ClockTargets } from './ticket-clocks.js';

/** The tenant's priorities (core/tickets/ticket-settings.ts: four, lowest first). */
export const PRIORITY_NUMBERS = [1, 2, 3, 4] as const;
/** A target is at most a year of business minutes. */
export const TARGET_MAX = 525_600;

/** Target minutes per clock, one per priority (index 0 = priority 1), null for none. */
export type LevelTargets = Record<ClockKind, Array<number | null>>;

export interface LevelRow { id: number; name: string; calendar_id: number; targets: string }
/** What the level form sends: name, calendar and one text per clock and priority (`target.<clock>.<priority>`). */
export interface LevelInput { name: string; calendarId: string; targets: Partial<Record<string, string>> }
interface Actor { id: number | null; label: string }

export function parseTargets(raw: string): LevelTargets {
  const parsed = JSON.parse(raw) as Partial<LevelTargets>;
  return Object.fromEntries(CLOCK_KINDS.map((kind) => [kind, PRIORITY_NUMBERS.map((_, i) => parsed[kind]?.[i] ?? null)])) as LevelTargets;
}

/** The targets for one priority (an unknown priority has none). */
export function targetsFor(targets: LevelTargets, priority: number): ClockTargets {
  return Object.fromEntries(CLOCK_KINDS.map((kind) => [kind, targets[kind][priority - 1] ?? null])) as ClockTargets;
}

export const targetField = (kind: ClockKind, priority: number) => `target.${kind}.${priority}`;

/** Checks the form; the values or a refusal with one message key per field. */
export function checkLevel(input: LevelInput): { name: string; calendarId: number; targets: LevelTargets } {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = 'sla.field.required';
  else if (name.length > NAME_MAX) fields.name = 'sla.field.tooLong';
  const calendarId = Number(input.calendarId);
  if (!Number.isInteger(calendarId) || calendarId < 1) fields.calendarId = 'sla.level.calendarRequired';
  const targets = Object.fromEntries(CLOCK_KINDS.map((kind) => [kind, PRIORITY_NUMBERS.map((priority) => {
    const text = (input.targets[targetField(kind, priority)] ?? '').trim();
    if (!text) return null;
    const minutes = Number(text);
    if (!/^\d+$/.test(text) || minutes < 1 || minutes > TARGET_MAX) { fields[targetField(kind, priority)] = 'sla.level.targetInvalid'; return null; }
    return minutes;
  })])) as LevelTargets;
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return { name, calendarId, targets };
}

/** Service levels and their assignment to contracts and organisations (the tenant default is a plugin setting). */
export function levelStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaDB>(services.db, tenantId);
  const now = () => services.clock().toISOString();
  const audit = (actor: Actor, action: string, target: string, trx = services.db) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);

  async function get(id: number): Promise<LevelRow> {
    const row = await scope.selectFrom('sla_levels').select(['id', 'name', 'calendar_id', 'targets']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  }

  const store = {
    get,

    list(): Promise<LevelRow[]> {
      return scope.selectFrom('sla_levels').select(['id', 'name', 'calendar_id', 'targets']).orderBy('name').execute();
    },

    async save(id: number | null, input: LevelInput, actor: Actor): Promise<number> {
      const values = checkLevel(input);
      const calendar = await scope.selectFrom('sla_calendars').select('id').where('id', '=', values.calendarId).executeTakeFirst();
      if (!calendar) throw invalidFields('error.invalid', { calendarId: 'sla.level.calendarRequired' });
      if (id !== null) await get(id);
      const saved = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const clash = await tx.selectFrom('sla_levels').select('id').where('name', '=', values.name).$if(id !== null, (q) => q.where('id', '!=', id!)).executeTakeFirst();
        if (clash) throw new DomainError('conflict', 'error.invalid', { name: 'sla.field.taken' });
        const row = { name: values.name, calendar_id: values.calendarId, targets: JSON.stringify(values.targets), updated_at: now() };
        const savedId = id === null
          ? (await tx.insertInto('sla_levels', { ...row, created_at: now() }).returning('id').executeTakeFirstOrThrow()).id
          : (await tx.updateTable('sla_levels').set(row).where('id', '=', id).execute(), id);
        await audit(actor, id === null ? 'sla.level_created' : 'sla.level_changed', values.name, trx);
        return savedId;
      });
      if (id !== null) await enqueueTickets(scope, await ticketsOfLevels(scope, [id]));
      return saved;
    },

    async remove(id: number, actor: Actor): Promise<void> {
      const row = await get(id);
      const affected = await ticketsOfLevels(scope, [id]);
      await services.db.transaction().execute(async (trx) => {
        // Its assignments, ticket levels and clocks go with it (cascade); the tickets get their next level on recompute.
        await scope.withDb(trx).deleteFrom('sla_levels').where('id', '=', id).execute();
        await audit(actor, 'sla.level_deleted', row.name, trx);
      });
      await enqueueTickets(scope, affected);
    },

    /** Sets or switches off (empty minutes) the level's first-line time box; its tickets are recomputed by the job. */
    async setFirstLine(id: number, input: FirstLineInput, actor: Actor): Promise<void> {
      const row = await get(id);
      const rule = await checkFirstLine(services.db, tenantId, input);
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).updateTable('sla_levels').set({
          first_line_minutes: rule?.minutes ?? null, first_line_group_id: rule?.groupId ?? null, first_line_forward_group_id: rule?.forwardGroupId ?? null, updated_at: now(),
        }).where('id', '=', id).execute();
        await audit(actor, 'sla.level_changed', row.name, trx);
      });
      await enqueueTickets(scope, await ticketsOfLevels(scope, [id]));
    },

    /** The level's first-line time box as stored (all null: off). */
    async firstLine(id: number) {
      await get(id);
      return scope.selectFrom('sla_levels').select(['first_line_minutes', 'first_line_group_id', 'first_line_forward_group_id']).where('id', '=', id).executeTakeFirstOrThrow();
    },

    /** The level of a contract or an organisation (its default), or none (`levelId` null). */
    async levelOf(kind: 'contract' | 'organisation', targetId: number): Promise<number | null> {
      const row = await scope.selectFrom('sla_assignments').select('level_id').where('kind', '=', kind).where('target_id', '=', targetId).executeTakeFirst();
      return row?.level_id ?? null;
    },

    async assign(kind: 'contract' | 'organisation', targetId: number, levelId: number | null, actor: Actor): Promise<void> {
      const target = kind === 'contract'
        ? await scope.selectFrom('contracts').select(['id', 'number as label']).where('id', '=', targetId).executeTakeFirst()
        : await scope.selectFrom('organisations').select(['id', 'name as label']).where('id', '=', targetId).executeTakeFirst();
      if (!target) throw new DomainError('not_found', 'error.notFound');
      const level = levelId === null ? null : await scope.selectFrom('sla_levels').select(['id', 'name']).where('id', '=', levelId).executeTakeFirst();
      if (levelId !== null && !level) throw invalidFields('error.invalid', { levelId: 'sla.assign.levelInvalid' });
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await tx.deleteFrom('sla_assignments').where('kind', '=', kind).where('target_id', '=', targetId).execute();
        if (level) await tx.insertInto('sla_assignments', { kind, target_id: targetId, level_id: level.id }).execute();
        await audit(actor, 'sla.level_assigned', `${target.label}: ${level?.name ?? '-'}`, trx);
      });
      await enqueueTickets(scope, await ticketsAffectedBy(scope, { kind, id: targetId }));
    },
  };
  return store;
}
