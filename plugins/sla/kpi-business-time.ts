import type { KpiBusinessTime } from '../../core/plugin-api.js';
import { ticketBusinessTime } from './ticket-business-time.js';

/**
 * The sla plugin's answer to the core's `core.kpiBusinessTime`: each span measured on the calendar of
 * its ticket's service level (null for a ticket under none), in whole seconds of business minutes.
 */
export const kpiBusinessTime: KpiBusinessTime = {
  async businessSeconds({ tenantId, scope, spans }) {
    const answers: Array<number | null> = [];
    for (const span of spans) {
      const measured = await ticketBusinessTime.minutesBetween({ tenantId, ticketId: span.ticketId, scope, from: new Date(span.from), until: new Date(span.until) });
      answers.push(measured === null ? null : Math.round(measured.minutes * 60));
    }
    return answers;
  },
};
