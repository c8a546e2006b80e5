import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { TextArea } from '../../../views/components/form.js';

const CHOICES = ['keep', 'mine', 'solved'] as const;

/**
 * The phone form's last step (issue 18 point 6): leave the ticket new for the team, take it, or record it solved on
 * the spot with the solution (a public reply; the requester gets it as the one mail, see the portal's requesterMails).
 * The solution field shows while "solved" is chosen (CSS :has); without it, it simply stays visible.
 */
export function OneStepChoice(props: { c: Context<AppEnv>; values: Record<string, string>; errors?: Record<string, string> | undefined }) {
  const { c, values, errors } = props;
  const t = c.var.t;
  const chosen = CHOICES.find((choice) => choice === values.after) ?? 'keep';
  return (
    <section class="card stack one-step" id="phone-after">
      <fieldset class="bare-fieldset">
        <legend>{t('phone.afterCreate')}</legend>
        <div class="choice-row">
          {CHOICES.map((choice) => (
            <label class="check" for={`after-${choice}`}>
              <input type="radio" name="after" value={choice} id={`after-${choice}`} checked={chosen === choice} /> {t(`phone.afterCreate.${choice}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="one-step-solution">
        <TextArea name="solution" label={t('phone.solution')} value={values.solution} rows={4} errors={errors} />
      </div>
    </section>
  );
}
