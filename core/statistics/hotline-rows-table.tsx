import type { Translate } from '../i18n/translate.js';
import type { HotlineRow } from './hotline-queries.js';
import { HOTLINE_STATUSES } from './hotline-contributions.js';

/** The columns of the per-group and per-level tables (and their CSV): right now per status, then the period's flows. */
export const ROW_FLOWS = ['created', 'solved', 'moved'] as const;

/** A group's (or a level's) name as the tables show it. */
export function rowName(row: HotlineRow, kind: 'group' | 'level', t: Translate): string {
  if (kind === 'level') return row.level ? t(`level.${row.level}`) : '';
  return row.name ?? t('statistics.noGroup');
}

/** The header cells, in both the table and the CSV. */
export function rowHeaders(kind: 'group' | 'level', t: Translate): string[] {
  return [
    t(kind === 'group' ? 'statistics.group' : 'statistics.level'),
    ...(kind === 'group' ? [t('statistics.level')] : []),
    ...HOTLINE_STATUSES.map((s) => `${t('statistics.now')}: ${t(`status.${s}`)}`),
    ...ROW_FLOWS.map((f) => `${t('statistics.period')}: ${t(`statistics.flow.${f}`)}`),
  ];
}

/** One row's cells after the name (and level): the numbers. */
export const rowNumbers = (row: HotlineRow): number[] => [...HOTLINE_STATUSES.map((s) => row.now[s]), ...ROW_FLOWS.map((f) => row.flows[f])];

export function HotlineRowsTable(props: { id: string; t: Translate; rows: readonly HotlineRow[]; kind: 'group' | 'level' }) {
  const { t, kind } = props;
  const names = kind === 'group' ? 2 : 1;
  return (
    <div class="table-wrap">
      <table class="table hotline-rows" id={props.id} aria-labelledby={`${props.id}-title`}>
        <thead>
          <tr>
            <td colspan={names}></td>
            <th scope="colgroup" colspan={HOTLINE_STATUSES.length} class="num">{t('statistics.now')}</th>
            <th scope="colgroup" colspan={ROW_FLOWS.length} class="num">{t('statistics.period')}</th>
          </tr>
          <tr>
            <th scope="col">{t(kind === 'group' ? 'statistics.group' : 'statistics.level')}</th>
            {kind === 'group' ? <th scope="col">{t('statistics.level')}</th> : null}
            {HOTLINE_STATUSES.map((s) => <th scope="col" class="num">{t(`status.${s}`)}</th>)}
            {ROW_FLOWS.map((f) => <th scope="col" class="num">{t(`statistics.flowShort.${f}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr data-group={row.groupId} data-level={kind === 'level' ? row.level : undefined}>
              <th scope="row">{rowName(row, kind, t)}</th>
              {kind === 'group' ? <td>{row.level ? t(`level.${row.level}`) : '–'}</td> : null}
              {rowNumbers(row).map((n) => <td class="num">{n}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
