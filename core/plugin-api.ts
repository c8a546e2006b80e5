/**
 * The one module plugins import: the plugin contract, guards, rendering, forms, views and
 * formatting. Everything else in core is internal and may change without a version bump;
 * what is exported here follows CORE_API_VERSION (a plugin's `core` range is checked against it).
 */
export { definePlugin } from './plugin-host/define-plugin.js';
export type {
  EventContext,
  EventHandler,
  EventPayload,
  FilterContext,
  FilterHandler,
  NavItem,
  PermissionDeclaration,
  PluginApi,
  PluginDefinition,
  PluginJob,
  SlotContext,
  SlotView,
} from './plugin-host/define-plugin.js';
// Registries: a plugin declares its audit actions, permissions and notification kinds with labels in both languages,
// and adds statistics panels with api.statisticsPanel; the host merges them with the core's and refuses clashes.
export type { Label } from './i18n/label.js';
export type { StatisticsPanel, StatisticsPanelContext, StatisticsPeriod } from './plugin-host/define-plugin.js';
export { deliverNotifications, notify, type NotifyInput, type PendingNotification } from './notifications/notify.js';
export type { NotificationMessage, NotificationParam } from './notifications/notification-text.js';
export { BarChart, type Bar } from '../views/components/bar-chart.js';
export { TrendChart, type TrendSeries } from '../views/components/trend-chart.js';
export { CORE_API_VERSION } from './plugin-host/registry.js';
export { runtimeName, workerEntry, type RuntimeName } from './runtime.js';
export { findOtherDoor, type OtherDoor } from './auth/other-door.js';
// Typed references for events, slots and extension points: made once in a published file, imported wherever they are used.
export { defineEvent, defineExtensionPoint, defineSlot, type EventRef, type ExtensionPointRef, type ImplementationOf, type PayloadOf, type PropsOf, type SlotRef } from './plugin-host/refs.js';
// Sections of the tenant's Administration page, declared in definePlugin's adminSections.
export { ADMIN_GROUPS, type AdminGroup, type AdminSection } from './plugin-host/define-plugin.js';
// The agent's record pages: a customer, a contact person, a contract, each with its tickets.
export { CONTRACT_PAGE, ORGANISATION_PAGE, PERSON_PAGE, type ContractSlotProps, type OrganisationSlotProps, type PersonSlotProps } from './plugin-host/slots.js';
export type { PersonRecord } from './people/record-queries.js';
// A phone field as migration 0017's index keeps it (caller lookup by number).
export { phoneKey } from './people/phone-key.js';
export type { Contract, Organisation } from './db/schema.js';
export {
  DASHBOARD_SIDE, DASHBOARD_TILES, SHELL_OVERLAY, TICKET_BADGES, TICKET_CREATE_FIELDS, TICKET_MAIN, TICKET_SIDE, USER_MENU,
  type TicketCreateFieldsProps, type TicketCreateSurface, type TicketSlotProps,
} from './plugin-host/slots.js';
// The agent ticket lists' columns and filters (core extension points; a provider needs no dependsOn).
export {
  TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS, TICKET_LIST_VIEWS, type TicketListView, type TicketIdsContext, type TicketIdsQuery, type TicketListColumn, type TicketListContext, type TicketListFilter, type TicketListFilterField,
} from './tickets/ticket-list-extensions.js';
// Create forms: render the plugins' inputs, collect what they send, show a refusal at the fields.
export { formRefusal, pluginCreateFields, pluginFieldsFromForm } from './routes/desk/ticket-create-fields.js';
export {
  TICKET_ACTION_EVENTS, TICKET_ARTICLE, TICKET_ARTICLE_ADDED, TICKET_ASSIGNED, TICKET_CHANGED, TICKET_CLOSED, TICKET_CREATED, TICKET_DELETED, TICKET_FORWARDED,
  TICKET_REOPENED, TICKET_RESTORED, TICKET_SOLVED, TICKET_STATUS_CHANGED,
  type FieldChange, type TicketAction, type TicketArticlePayload, type TicketChange, type TicketChangePayload, type TicketDiff,
} from './tickets/ticket-events.js';
export { slotContext } from './plugin-host/slot-context.js';
export type { JobContext } from './jobs/job-types.js';
export type { PluginWorker, WorkerContext } from './plugin-host/define-plugin.js';
export { CliCommandError, CliUsageError, type CliIo, type PluginCliCommand, type PluginCliContext } from './cli/plugin-cli.js';
export type { AppConfig } from '../config/env.js';
export type { Database, Dialect } from './db/create-database.js';
export type { PermissionKey } from './permissions.js';

export type { AppEnv, Services, StaffUser, PortalPerson } from './http/app-env.js';
export { clientIp, href, isHtmx, redirectTo, requirePermission, scope, staff, tenantOf } from './http/guards.js';
export { render, toast, type RenderOptions } from './http/render.js';
export { flash } from './http/flash.js';
export { csvResponse } from './http/csv-response.js';
export { csvDocument, csvLine, csvText, type CsvCell } from './text/csv.js';
export { fieldErrors, idFrom, parseForm, type FormResult } from './http/forms.js';
export { HttpError, toHttpError } from './http/http-error.js';
export { DomainError, invalidFields, type RefusalKind } from './domain-error.js';
// REST operations a plugin adds under /api/v1 (api.apiRoute): typed by their zod schemas, which also write openapi.json.
export { defineRoute as defineApiRoute, type AnyApiRoute, type ApiRoute, type ErrorStatus } from './api/openapi.js';
export { one as apiOne, pageOf as apiPageOf } from './api/api-schemas.js';

// Tenant-owned tables, the core's and a plugin's own (its `interface XyzDB extends DB`), only through the tenant scope.
export { pluginDb, pluginScope, scopeFor, tenantScope, type TenantScope, type TenantTable } from './tenancy/tenant-scope.js';
export { PluginSwitchError, updatePluginSettings } from './plugin-host/plugin-switches.js';
export { isPostgres, withId } from './db/migration-helpers.js';
export { dateContext, formatDate, formatDateTime, type DateContext } from './i18n/format.js';
export { DEFAULT_TIME_ZONE, isoToZoned, zonedDayEnd, zonedDayStart, zonedToIso } from './i18n/time-zone.js';
export { isLocale } from './i18n/translate.js';
export type { Locale, Messages, Translate } from './i18n/translate.js';

export { Page, type Crumb } from '../views/components/page.js';
export { Checkbox, FormError, SelectField, TextArea, TextField, type FieldErrors } from '../views/components/form.js';
export { Pagination, pageParam } from '../views/components/pagination.js';
// The as-you-type organisation picker (a tenant may have thousands of customers) and its no-JavaScript resolution.
export { OrganisationPicker, organisationDisplay, resolvePicked } from './routes/desk/organisation-picker.js';
export { Toasts } from '../views/components/toasts.js';
// A figure on the agent dashboard, as a DASHBOARD_TILES view renders it.
export { DashboardTile, type TileTone } from '../views/components/dashboard-tile.js';

// Portal users' sessions and sign-in building blocks (the staff versions live in core/routes).
export { hashPassword, verifyPassword, PASSWORD_MAX, PASSWORD_MIN } from './auth/password.js';
export { LinkError, type LinkClaims } from './auth/signed-links.js';
// Secrets at rest (AES-256-GCM, a key per purpose derived from the instance secret).
export { createSecretBox, SecretBoxError, type SecretBox, type SecretBoxOptions } from './auth/secret-box.js';
export { clearSessionCookie, sessionCookieName, setSessionCookie } from './http/middleware/session.js';
export { safeNext } from './routes/sign-in.js';
// The keys a sign-in attempt is throttled by (the account from this address, and the address): services.throttle takes them.
export { signInKeys } from './auth/login-throttle.js';
// A sign-in refused because the tenant's licence seats are all in use (sessions.create throws it; nothing was written).
export { SeatsFullError } from './auth/licence-seats.js';
export { newPasswordSchema, publicOrigin } from './routes/password-reset.js';

// The KPI reports' business time: the sla plugin provides it from its calendars (core/statistics/kpi-business-time.ts).
export { KPI_BUSINESS_TIME, type BusinessSpan, type KpiBusinessTime } from './statistics/kpi-business-time.js';
// Tickets: the service (every change goes through it), its rules and the tenant's ticket settings.
export { ticketActor, ticketService, tenantTicketService } from './tickets/ticket-context.js';
// History entries for changes a plugin makes around a ticket (inside its own transaction).
export { recordTicketHistory, type TicketHistoryChange } from './tickets/ticket-history.js';
export { survivorOf } from './tickets/ticket-merge.js';
export type { TicketActor, TicketService } from './tickets/ticket-service.js';
// The ticket page's article body as a plugin renders it (e.g. mail with folded quotes and framed HTML).
export { ARTICLE_VIEW_POINT, type ArticleViewInput, type ArticleViewRenderer } from './tickets/article-view.js';
export { REPLY_MAIL_POINT, type ReplyMailChannel } from './tickets/reply-mail.js';
export type { ArticleKind, DB, Ticket, TicketStatus } from './db/schema.js';
export { ACTIVE_STATUSES, TICKET_STATUSES, allowedTransitions } from './tickets/ticket-lifecycle.js';
export { CustomFieldInputs } from '../views/components/custom-field-inputs.js';
export { customFieldName, customInputFromForm, fieldsFor, formatCustomValue, toDefinition, validateCustomFields, type FieldDefinition } from './tickets/custom-fields.js';
export { activeFieldDefinitions } from './tickets/custom-field-definitions.js';
// Custom fields of a plugin's own records (api.recordKind): defined on Administration → Custom fields beside the ticket fields.
export { TICKET_KIND, type RecordKind, type RecordKindContext, type RecordScope } from './records/record-kinds.js';
export { allRecordFieldDefinitions, listRecordFields, recordFieldDefinitions, type RecordField } from './records/record-fields.js';
export { attachmentResponse, ticketAttachmentResponse } from './files/attachment-response.js';
export { MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, attachmentType, checkAttachments, cleanFilename, filesFromForm, type AttachmentInput } from './tickets/attachment-rules.js';
export { priorityName, priorityOptions, ticketSettings } from './tickets/ticket-settings.js';

// The timeline: a plugin posts (knowledge shares a solution from an entry, ideas an idea's new status) and the portal shows a reader's posts.
export { pinnedAnnouncements, postToTimeline, timelineForPerson, type TimelinePostInput } from './timeline/timeline-seam.js';
export type { TimelinePost } from './timeline/timeline-posts.js';
export { PostCard as TimelinePostCard } from './routes/desk/timeline-views.js';

// Phone numbers in E.164 and SIP addresses (the support directory stores them so; connect looks callers up by them).
export { callingCode, countryOfCallingCode, formatPhone, isE164, isPhoneCountry, parsePhone, phoneCountries, splitE164, telUri, toE164, PHONE_INPUT_MAX, type ParsedPhone } from './text/phone-number.js';
export { sipDisplay, toSipUri } from './text/sip-address.js';
// The support directory: who is on call now (the sla plugin provides it from its rotas; the directory shows it while sla is on).
export { ON_CALL_POINT, type OnCallProvider, type OnCallShift } from './directory/on-call.js';
// What the connect plugin reads national caller numbers with: the tenant's phone country (Administration › Support contacts).
export { tenantPhoneCountry } from './directory/directory-settings.js';
export { countryName } from './i18n/country-name.js';
// The portal's page of the support directory: the cards a portal user may see (only the fields the tenant allows), their vCard and photo, the views.
export { directorySettings, type DirectorySettings } from './directory/directory-settings.js';
export type { DirectoryContact, DirectoryViewer } from './directory/directory-contacts.js';
export { contactFor, contactsFor, directoryQuery, photoResponse as directoryPhotoResponse, vcardResponse as directoryVcardResponse } from './directory/directory-http.js';
export { ContactCard, ContactDetail, DirectoryFilter, type ContactUrls } from './routes/desk/directory-views.js';
