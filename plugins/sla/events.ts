/**
 * The sla plugin's published events (other plugins import only this file and extension-points.ts of it).
 */
import { defineEvent, type EventPayload } from '../../core/plugin-api.js';

export interface SlaComponentsChangedPayload extends EventPayload {
  /** The tenant's tickets whose component may have changed; ids of other tenants find nothing. */
  ticketIds: readonly number[];
}

/**
 * A provider of `sla.componentLevels` emits this (`services.hooks.emit`, after its change committed) when its
 * answer for some tickets may have changed: a device linked to or removed from a ticket, a component's level
 * edited. The sla plugin then chooses those tickets' levels again and rebuilds their clocks (a few at once,
 * many through its recompute queue). Nothing happens while the tenant has the sla plugin off.
 */
export const SLA_COMPONENTS_CHANGED = defineEvent<SlaComponentsChangedPayload>('sla.componentsChanged');
