import type { SurveySettings } from './settings.js';

/** One choice the customer sees, and the school grade (1 best … 6 worst) it counts as. */
export interface ScaleChoice { value: string; grade: number; label: string }

export const GRADES = [1, 2, 3, 4, 5, 6] as const;
/** Five stars are the best; one star counts as a 6. */
const STAR_GRADE: Record<string, number> = { '5': 1, '4': 2, '3': 3, '2': 4, '1': 6 };

/** The tenant's scale, best first, each choice with its grade; labels are catalog keys or the value itself. */
export function scaleChoices(settings: Pick<SurveySettings, 'scale' | 'thumbsUpGrade' | 'thumbsDownGrade'>): ScaleChoice[] {
  if (settings.scale === 'stars') return ['5', '4', '3', '2', '1'].map((value) => ({ value, grade: STAR_GRADE[value]!, label: '★'.repeat(Number(value)) }));
  if (settings.scale === 'thumbs') return [{ value: 'up', grade: settings.thumbsUpGrade, label: '👍' }, { value: 'down', grade: settings.thumbsDownGrade, label: '👎' }];
  return GRADES.map((grade) => ({ value: String(grade), grade, label: String(grade) }));
}

/** The choice a value names on this scale, or undefined (a value of another scale, or nonsense). */
export function choiceOf(settings: Pick<SurveySettings, 'scale' | 'thumbsUpGrade' | 'thumbsDownGrade'>, value: string | undefined): ScaleChoice | undefined {
  return value === undefined ? undefined : scaleChoices(settings).find((choice) => choice.value === value);
}

/** At or beyond the threshold: an alert, and a comment is required. */
export const isAlertGrade = (grade: number, threshold: number) => grade >= threshold;
