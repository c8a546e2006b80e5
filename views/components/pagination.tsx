import type { Translate } from '../../core/i18n/translate.js';

/** Previous/next links for a paged list; `link(page)` builds the URL of a page. */
/**
 * Previous/next links for a paged list; `link(page)` builds the URL of a page. When the total
 * was only counted up to a cap (`capped`), it reads "1000+" and the next link stays while pages are full.
 */
export function Pagination(props: { page: number; pageSize: number; total: number; capped?: boolean; rowsOnPage?: number; link: (page: number) => string; t: Translate }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const totalText = props.capped ? props.t('common.totalMore', { count: props.total }) : props.t('common.total', { count: props.total });
  const hasNext = props.capped ? (props.rowsOnPage ?? props.pageSize) >= props.pageSize : props.page < pages;
  if (pages <= 1 && !hasNext) return <p class="muted">{totalText}</p>;
  const position = props.capped ? props.t('common.pageOnly', { page: props.page }) : props.t('common.page', { page: props.page, pages });
  return (
    <nav class="pagination" aria-label={position}>
      <span class="muted">{totalText} · {position}</span>
      {props.page > 1 ? <a class="button-small" href={props.link(props.page - 1)} rel="prev">{props.t('common.previous')}</a> : null}
      {hasNext ? <a class="button-small" href={props.link(props.page + 1)} rel="next">{props.t('common.next')}</a> : null}
    </nav>
  );
}

/** A page number from the query string: whole, at least 1. */
export function pageParam(value: string | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}
