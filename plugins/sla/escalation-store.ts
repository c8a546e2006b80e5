import { DomainError, invalidFields, pluginScope, type Services } from '../../core/plugin-api.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { checkPoint, type PointInput } from './escalation-points.js';
import { levelStore } from './level-store.js';
import { enqueueTickets, ticketsOfLevels } from './recompute-queue.js';

interface Actor { id: number | null; label: string }
/** At most this many points per level. */
export const POINTS_MAX = 20;

export interface PointRow {
  id: number; clock: string; offset_kind: string; offset_value: number; notify: number; email: number; recipients: string;
  raise_priority: number; forward_group_id: number | null; outside_hours: number; rota_id: number | null;
}

/** A level's escalation points: added and deleted by admins; every change queues the level's tickets (their next escalation moves). */
export function escalationStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaEscalationDB>(services.db, tenantId);
  const audit = (actor: Actor, action: string, target: string, trx = services.db) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);

  return {
    async list(levelId: number): Promise<PointRow[]> {
      return scope.selectFrom('sla_escalation_points')
        .select(['id', 'clock', 'offset_kind', 'offset_value', 'notify', 'email', 'recipients', 'raise_priority', 'forward_group_id', 'outside_hours', 'rota_id'])
        .where('level_id', '=', levelId).orderBy('id').execute();
    },

    async add(levelId: number, input: PointInput, actor: Actor): Promise<number> {
      const level = await levelStore(services, tenantId).get(levelId);
      const values = checkPoint(input);
      const fields: Record<string, string> = {};
      if (values.forwardGroupId !== null && !(await scope.selectFrom('support_groups').select('id').where('id', '=', values.forwardGroupId).executeTakeFirst())) fields.forwardGroupId = 'sla.esc.groupInvalid';
      if (values.rotaId !== null && !(await scope.selectFrom('sla_rotas').select('id').where('id', '=', values.rotaId).executeTakeFirst())) fields.rotaId = 'sla.esc.rotaInvalid';
      const count = await scope.selectFrom('sla_escalation_points').select((eb) => eb.fn.countAll<number>().as('n')).where('level_id', '=', levelId).executeTakeFirstOrThrow();
      if (Number(count.n) >= POINTS_MAX) fields.clock = 'sla.esc.tooMany';
      if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
      const id = await services.db.transaction().execute(async (trx) => {
        const row = await scope.withDb(trx).insertInto('sla_escalation_points', {
          level_id: levelId, clock: values.clock, offset_kind: values.offsetKind, offset_value: values.offsetValue, notify: values.notify ? 1 : 0, email: values.email ? 1 : 0,
          recipients: values.recipients.join(','), raise_priority: values.raisePriority ? 1 : 0, forward_group_id: values.forwardGroupId,
          outside_hours: values.outsideHours ? 1 : 0, rota_id: values.rotaId, created_at: services.clock().toISOString(),
        }).returning('id').executeTakeFirstOrThrow();
        await audit(actor, 'sla.escalation_point_added', level.name, trx);
        return row.id;
      });
      await enqueueTickets(scope, await ticketsOfLevels(scope, [levelId]));
      return id;
    },

    async remove(levelId: number, pointId: number, actor: Actor): Promise<void> {
      const level = await levelStore(services, tenantId).get(levelId);
      const found = await scope.selectFrom('sla_escalation_points').select('id').where('id', '=', pointId).where('level_id', '=', levelId).executeTakeFirst();
      if (!found) throw new DomainError('not_found', 'error.notFound');
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('sla_escalation_points').where('id', '=', pointId).execute();
        await audit(actor, 'sla.escalation_point_removed', level.name, trx);
      });
      await enqueueTickets(scope, await ticketsOfLevels(scope, [levelId]));
    },
  };
}
