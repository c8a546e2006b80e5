import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';

/**
 * Saved views and the filter of ticket management behind one "Views and filters" button on a phone, so the
 * first ticket is on the first screen; on wider screens the button is hidden and both show as before. A
 * checkbox and its label (like the Shell's menu toggle): no script needed. Open when the filter was refused.
 */
export function ListTools(props: { c: Context<AppEnv>; open: boolean; children: Child }) {
  const t = props.c.var.t;
  return (
    <div class="list-tools-wrap">
      <input type="checkbox" id="list-tools-toggle" class="list-tools-toggle" checked={props.open} aria-controls="list-tools" />
      <label for="list-tools-toggle" class="button list-tools-button" id="list-tools-button">{t('layout.viewsAndFilters')}</label>
      <div class="list-tools" id="list-tools">{props.children}</div>
    </div>
  );
}
