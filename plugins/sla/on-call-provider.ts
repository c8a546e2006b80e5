import { scopeFor, type OnCallProvider } from '../../core/plugin-api.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { toRota } from './rota-store.js';
import { shifts } from './rota-time.js';

/** How far ahead a shift's end is looked for; a shift that runs past it shows no end. */
const LOOK_AHEAD = 31 * 24 * 60 * 60_000;

/**
 * The core's `core.onCall` point from the tenant's on-call rotas and their overrides: for each rota,
 * the person covering `at` and when their shift ends. The support directory shows it as availability.
 */
export const onCallProvider: OnCallProvider = {
  async onCallAt({ scope, at }) {
    const sla = scopeFor<SlaEscalationDB>(scope);
    const now = at.getTime();
    const [rotas, overrides] = await Promise.all([
      sla.selectFrom('sla_rotas').select(['id', 'name', 'time_zone', 'freq', 'interval', 'by_day', 'handover', 'start_date', 'participants']).orderBy('name').execute(),
      sla.selectFrom('sla_rota_overrides').select(['rota_id', 'user_id', 'from_at', 'until_at']).where('until_at', '>', at.toISOString()).execute(),
    ]);
    return rotas.flatMap((row) => {
      const own = overrides.filter((o) => o.rota_id === row.id).map((o) => ({ userId: o.user_id, from: Date.parse(o.from_at), until: Date.parse(o.until_at) }));
      const current = shifts(toRota(row), own, now, now + LOOK_AHEAD)[0];
      if (!current || current.from > now) return [];
      return [{ userId: current.userId, rota: row.name, until: current.until < now + LOOK_AHEAD ? new Date(current.until).toISOString() : null }];
    });
  },
};
