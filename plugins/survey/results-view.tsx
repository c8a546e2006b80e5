import { BarChart, type Translate } from '../../core/plugin-api.js';
import { GRADES } from './scale.js';
import type { QuestionResult, ResultRow } from './results-query.js';

const percent = (value: number | null) => (value === null ? '—' : `${value} %`);

/** The distribution as an SVG chart (core's BarChart) and the rows as a table beside it. */
export function ResultsFigure(props: { t: Translate; rows: ResultRow[]; total: ResultRow; id: string; questions?: Array<QuestionResult & { label: string }> }) {
  const { t, rows, total } = props;
  if (total.sent === 0) return <p class="muted" id={`${props.id}-empty`}>{t('survey.results.empty')}</p>;
  const bars = GRADES.map((grade, index) => ({ label: String(grade), value: total.distribution[index] ?? 0, tone: `survey-${grade}` }));
  const line = (row: ResultRow, label: string, head = false) => (
    <tr class={head ? 'survey-total' : undefined}>
      <th scope="row">{label}</th>
      <td class="num">{row.sent}</td><td class="num">{row.answered}</td><td class="num">{percent(row.rate)}</td>
      <td class="num">{row.average ?? '—'}</td><td class="num">{row.alerts} ({percent(row.alertShare)})</td>
      <td class="num survey-distribution">{row.distribution.join(' · ')}</td>
    </tr>
  );
  return (
    <div class="stat-figure survey-figure">
      <BarChart title={t('survey.results.chart')} bars={bars} id={`${props.id}-chart`} />
      <div class="table-wrap">
        <table class="table" id={props.id}>
          <thead><tr>
            <th scope="col">{t('survey.results.name')}</th><th scope="col" class="num">{t('survey.results.sent')}</th>
            <th scope="col" class="num">{t('survey.results.answered')}</th><th scope="col" class="num">{t('survey.results.rate')}</th>
            <th scope="col" class="num">{t('survey.results.average')}</th><th scope="col" class="num">{t('survey.results.alerts')}</th>
            <th scope="col" class="num">{t('survey.results.distribution')}</th>
          </tr></thead>
          <tbody>
            {rows.map((row) => line(row, row.label || t('survey.results.none')))}
            {rows.length > 1 ? line(total, t('survey.results.total'), true) : null}
          </tbody>
        </table>
        {props.questions?.length ? (
          <table class="table survey-questions" id={`${props.id}-questions`}>
            <thead><tr><th scope="col">{t('survey.results.question')}</th><th scope="col" class="num">{t('survey.results.answered')}</th><th scope="col" class="num">{t('survey.results.average')}</th></tr></thead>
            <tbody>{props.questions.map((q) => <tr><th scope="row">{q.label}</th><td class="num">{q.answered}</td><td class="num">{q.average}</td></tr>)}</tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
