import type { Child } from 'hono/jsx';

export type TileTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/**
 * One figure on the agent dashboard, styled like the status counts: what a plugin's DASHBOARD_TILES view
 * returns (e.g. "3 overdue" leading to the filtered list). The page puts each tile in its grid.
 */
export function DashboardTile(props: { value: Child; label: string; href?: string | undefined; tone?: TileTone | undefined; hint?: string | undefined; id?: string | undefined }) {
  const body = (
    <>
      <span class="stat-value">{props.value}</span>
      <span class="stat-label">{props.label}</span>
      {props.hint ? <small class="stat-hint">{props.hint}</small> : null}
    </>
  );
  return (
    <div class={`stat stat-tile stat-tone-${props.tone ?? 'neutral'}`} id={props.id}>
      {props.href ? <a class="stat-link" href={props.href}>{body}</a> : body}
    </div>
  );
}
