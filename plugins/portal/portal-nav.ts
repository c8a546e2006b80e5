/**
 * The viewer type and the navigation point, apart from extension-points.ts so that the portal's frame
 * (portal-shell.tsx, which extension-points.ts re-exports for plugins) can import them without a cycle.
 * Plugins import them from extension-points.ts.
 */
import { defineExtensionPoint, type PortalPerson } from '../../core/plugin-api.js';

/**
 * Who looks at a portal page: the signed-in portal user, or null for a visitor. A view or provider
 * shows only what this person may see: their own requests, their organisation's data only when
 * `person.is_org_manager` (and never another organisation's: `person.organisation_id` is the filter).
 */
export interface PortalViewer { person: PortalPerson | null }

export interface PortalNavItem {
  /** Unique in the portal's navigation (prefix it with the plugin id); the link's DOM id is `portal-nav-<id>`. */
  id: string;
  /** Message key of the link's text (the plugin's catalog). */
  label: string;
  /** A path inside the tenant, e.g. `/portal/kb`. */
  href: string;
  /** Lower first; the portal's own entries (requests, new request) stand at 10 and 20. */
  order?: number;
}

export interface PortalNavProvider {
  /** The entries this viewer gets (visitors too: an empty list hides them); called on every full portal page. */
  items(viewer: PortalViewer & { tenantId: number }): PortalNavItem[] | Promise<PortalNavItem[]>;
}

/** Entries of the portal's navigation bar, beside "My requests" and "New request". */
export const PORTAL_NAV = defineExtensionPoint<PortalNavProvider>('portal.nav');
