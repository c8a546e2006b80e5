import type { Translate } from '../../core/i18n/translate.js';

/** Previous/next links for a paged list; `link(page)` builds the URL of a page. */
export function Pagination(props: { page: number; pageSize: number; total: number; link: (page: number) => string; t: Translate }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return <p class="muted">{props.t('common.total', { count: props.total })}</p>;
  return (
    <nav class="pagination" aria-label={props.t('common.page', { page: props.page, pages })}>
      <span class="muted">{props.t('common.total', { count: props.total })} · {props.t('common.page', { page: props.page, pages })}</span>
      {props.page > 1 ? <a class="button-small" href={props.link(props.page - 1)} rel="prev">{props.t('common.previous')}</a> : null}
      {props.page < pages ? <a class="button-small" href={props.link(props.page + 1)} rel="next">{props.t('common.next')}</a> : null}
    </nav>
  );
}

/** A page number from the query string: whole, at least 1. */
export function pageParam(value: string | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}
