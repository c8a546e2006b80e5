import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { href, scope } from '../http/guards.js';
import type { SlotContext } from './define-plugin.js';

/** The slot context of the current request: its tenant, language, links and the viewer's permissions. */
export function slotContext<Props>(c: Context<AppEnv>, props: Props): SlotContext<Props> {
  const tenantScope = scope(c);
  return {
    tenantId: tenantScope.tenantId,
    props,
    t: c.var.t,
    locale: c.var.locale,
    dates: c.var.dates,
    href: (path) => href(c, path),
    can: c.var.can,
    userId: c.var.user?.id,
    scope: tenantScope,
    enabledPlugins: c.var.enabledPlugins,
    now: c.var.services.clock(),
  };
}
