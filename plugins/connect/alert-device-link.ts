import type { Services } from '../../core/plugin-api.js';
import { HARDWARE_DEVICE_LINKS } from '../hardware/extension-points.js';

/**
 * A ticket an alert opened gets the device its host names (reason "defect"), when the tenant has the hardware
 * plugin on: no provider answers while it is off or not installed, and then nothing is linked. After the ticket's
 * commit: a failed link is logged and never costs the alert its ticket.
 */
export async function linkAlertDevice(services: Services, tenantId: number, ticketId: number, host: string, actorLabel: string): Promise<string[]> {
  const linked: string[] = [];
  for (const provider of await services.hooks.extensions(HARDWARE_DEVICE_LINKS, tenantId)) {
    try {
      linked.push(...(await provider.linkByHost({ services, tenantId, ticketId, host, reason: 'defect', actorLabel })));
    } catch (error) {
      services.log.error('connect: linking the alert\'s device failed', { tenantId, ticketId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return linked;
}
