import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { StaffRole } from '../../db/schema.js';
import { CORE_OWNER } from '../../plugin-host/labelled-codes.js';

const ROLES: readonly StaffRole[] = ['agent', 'supervisor', 'admin'];

/**
 * What each staff role may do in this tenant: the core's permissions and those of the plugins the
 * tenant has on, labelled from the permission registry (a plugin's labels come with its declarations).
 */
export function RolePermissions({ c }: { c: Context<AppEnv> }) {
  const { t, locale, enabledPlugins } = c.var;
  const entries = c.var.services.permissions.entries()
    .filter((entry) => (entry.owner === CORE_OWNER || enabledPlugins.has(entry.owner)) && ROLES.some((role) => entry.roles.has(role)));
  return (
    <section class="card">
      <h2>{t('admin.rolePermissions')}</h2>
      <div class="table-wrap">
        <table class="table" id="role-permissions">
          <thead><tr><th scope="col">{t('admin.permission')}</th>{ROLES.map((role) => <th scope="col">{t(`role.${role}`)}</th>)}</tr></thead>
          <tbody>
            {entries.map((entry) => (
              <tr data-permission={entry.key}>
                <th scope="row">{c.var.services.permissions.label(entry.key, locale)}</th>
                {ROLES.map((role) => (entry.roles.has(role)
                  ? <td><span class="badge badge-on">{t('common.yes')}</span></td>
                  : <td><span class="muted">{t('common.no')}</span></td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
