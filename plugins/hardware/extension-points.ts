/**
 * The hardware plugin's published extension points (other plugins import only this file of it).
 *
 * `hardware.deviceLinks`: the hardware plugin provides it itself, so a consumer asks
 * `services.hooks.extensions(HARDWARE_DEVICE_LINKS, tenantId)` and gets no provider while the tenant has hardware
 * off (or the plugin is not installed): then it links nothing. The connect plugin links the device a monitoring
 * alert's host names to the ticket the alert opened.
 */
import { defineExtensionPoint, type Services } from '../../core/plugin-api.js';

/** Why a device is linked to a ticket (the same reasons an agent picks on the ticket page). */
export type DeviceLinkReason = 'defect' | 'question' | 'installation' | 'maintenance';

export interface HostLinkInput {
  services: Services;
  tenantId: number;
  ticketId: number;
  /** A host name as a monitoring system sends it; matched exactly or in lower case against the devices' host. */
  host: string;
  reason: DeviceLinkReason;
  /** Who links, as the ticket's history names it (e.g. "Monitoring (nagios)"). */
  actorLabel: string;
}

export interface HardwareDeviceLinks {
  /**
   * Links the tenant's devices whose host name is `host` to the ticket (at most five; a device linked to it
   * already is skipped), with a history line and an audit entry. Answers the linked devices' inventory numbers.
   */
  linkByHost(input: HostLinkInput): Promise<string[]>;
}

export const HARDWARE_DEVICE_LINKS = defineExtensionPoint<HardwareDeviceLinks>('hardware.deviceLinks');
