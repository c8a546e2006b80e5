/**
 * The portal's published extension points: other plugins import these types (and only these)
 * and `api.provide(...)` an implementation; the portal shows nothing when no provider is on.
 */
import { defineExtensionPoint, defineSlot, type PortalPerson, type Services } from '../../core/plugin-api.js';
import type { PortalViewer } from './portal-nav.js';

export interface KnowledgeSuggestion {
  title: string;
  /** Where the article is read; an absolute URL or a path inside the tenant (e.g. `/portal/kb/12`). */
  url: string;
  excerpt: string;
}

/** Who asks (the signed-in portal user, null for a visitor) and the host's services, so a provider can show only what they may see. */
export interface KnowledgeSuggestionsContext { services: Services; person: PortalPerson | null }

export interface KnowledgeSuggestionsProvider {
  suggest(tenantId: number, text: string, locale: 'de' | 'en', context?: KnowledgeSuggestionsContext): Promise<KnowledgeSuggestion[]>;
}


export interface ServiceOrderStatus {
  label: string;
  /** A short status text as the provider words it (e.g. "planned"). */
  status: string;
  /** ISO-8601 timestamp or date, or null when not planned yet. */
  plannedAt: string | null;
}

/** What the portal hands a provider: the host's services (to read its tables) and the viewer's language (for labels). */
export interface ServiceOrdersContext {
  services: Services;
  locale: 'de' | 'en';
}

export interface ServiceOrdersProvider {
  forTicket(tenantId: number, ticketId: number, context: ServiceOrdersContext): Promise<ServiceOrderStatus[]>;
}

/** Knowledge articles suggested while a portal user types a request's subject. */
export const KNOWLEDGE_SUGGESTIONS = defineExtensionPoint<KnowledgeSuggestionsProvider>('portal.knowledgeSuggestions');

/** The service orders of a ticket (the helpdesk plugin provides them). */
export const SERVICE_ORDERS = defineExtensionPoint<ServiceOrdersProvider>('portal.serviceOrders');

/**
 * The portal's front page, below the welcome text and the open requests (or the sign-in card):
 * plugins render cards here, e.g. popular articles or the organisation's devices.
 */
export const PORTAL_HOME = defineSlot<PortalViewer>('portal.home');

export { PORTAL_NAV, type PortalNavItem, type PortalNavProvider, type PortalViewer } from './portal-nav.js';

/** A plugin's own portal pages (its `portalRoutes`) render in the portal's frame: the tenant's branding and navigation. */
export { portalRender, type PortalRenderOptions } from './portal-shell.js';
