import type { Child } from 'hono/jsx';

export interface Crumb { label: string; href?: string }

/** A page's heading, breadcrumbs and optional actions above its content. */
export function Page(props: { title: string; crumbs?: Crumb[]; actions?: Child; children: Child }) {
  return (
    <section class="page">
      {props.crumbs && props.crumbs.length > 0 ? (
        <nav class="crumbs" aria-label="Breadcrumb">
          <ol>
            {props.crumbs.map((crumb) => <li>{crumb.href ? <a href={crumb.href}>{crumb.label}</a> : crumb.label}</li>)}
          </ol>
        </nav>
      ) : null}
      <div class="page-head">
        <h1>{props.title}</h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </div>
      {props.children}
    </section>
  );
}
