/**
 * A test fixture for the several-instances test: a job that runs longer than its lease (each run
 * writes a start and an end row, so overlapping runs show) and a route that publishes a live event.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, tenantOf } from '../../core/plugin-api.js';

export function instanceProbePlugin(jobMs: number) {
  return definePlugin({
    id: 'probe',
    version: '1.0.0',
    core: '^1.0.0',
    name: 'probe.name',
    messages: { en: { 'probe.name': 'Instance probe' }, de: { 'probe.name': 'Instanzsonde' } },
    register(api) {
      api.job({
        id: 'slow',
        schedule: 'FREQ=SECONDLY;INTERVAL=1',
        run: async ({ db, tenantId }) => {
          await db.insertInto('audit_log').values({ tenant_id: tenantId, actor_label: `pid:${process.pid}`, action: 'probe.start' }).execute();
          await sleep(jobMs);
          await db.insertInto('audit_log').values({ tenant_id: tenantId, actor_label: `pid:${process.pid}`, action: 'probe.end' }).execute();
        },
      });
      api.routes((app) => {
        app.get('/ping/:n', (c) => {
          c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'probe-ping', data: { n: c.req.param('n'), pid: process.pid } });
          return c.text('ok');
        });
      });
    },
  });
}
