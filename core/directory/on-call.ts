/**
 * `core.onCall`: who is on call right now. The support directory asks it to show availability from the
 * on-call rota; the sla plugin provides it (its rotas and overrides). The host hands out providers of
 * the tenant's enabled plugins only, so with sla off nobody is "on call" and the directory shows each
 * member's own setting alone. A core module never imports a plugin: this seam is the only way in.
 */
import { defineExtensionPoint } from '../plugin-host/refs.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface OnCallShift {
  userId: number;
  /** The rota's name, for "on call (Hotline nights)". */
  rota: string;
  /** When this shift ends (ISO-8601), or null when the provider cannot tell. */
  until: string | null;
}

export interface OnCallProvider {
  /** Everyone on call at `at` in the tenant, one entry per rota they cover. */
  onCallAt(input: { tenantId: number; scope: TenantScope; at: Date }): Promise<OnCallShift[]>;
}

export const ON_CALL_POINT = defineExtensionPoint<OnCallProvider>('core.onCall');
