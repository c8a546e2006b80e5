/**
 * The one module plugins import: the plugin contract, guards, rendering, forms, views and
 * formatting. Everything else in core is internal and may change without a version bump;
 * what is exported here follows CORE_API_VERSION (a plugin's `core` range is checked against it).
 */
export { definePlugin } from './plugin-host/define-plugin.js';
export type {
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
export { CORE_API_VERSION } from './plugin-host/registry.js';
export { slotContext } from './plugin-host/slot-context.js';
export type { JobContext } from './jobs/job-types.js';
export type { PermissionKey } from './permissions.js';

export type { AppEnv, StaffUser, PortalPerson } from './http/app-env.js';
export { href, isHtmx, redirectTo, requirePermission, scope, staff } from './http/guards.js';
export { render, toast, type RenderOptions } from './http/render.js';
export { flash } from './http/flash.js';
export { fieldErrors, parseForm, type FormResult } from './http/forms.js';
export { HttpError } from './http/http-error.js';

export type { TenantScope } from './tenancy/tenant-scope.js';
export { isPostgres, withId } from './db/migration-helpers.js';
export { formatDate, formatDateTime } from './i18n/format.js';
export type { Locale, Messages, Translate } from './i18n/translate.js';

export { Page, type Crumb } from '../views/components/page.js';
export { Checkbox, FormError, SelectField, TextArea, TextField, type FieldErrors } from '../views/components/form.js';
export { Pagination, pageParam } from '../views/components/pagination.js';
