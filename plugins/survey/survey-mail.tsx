import type { Translate } from '../../core/plugin-api.js';
import type { ScaleChoice } from './scale.js';

/** What a survey mail says: the ticket, the tenant's branding, a button per choice leading to the page with it preselected. */
export interface SurveyMailInput {
  t: Translate;
  tenantName: string;
  /** The tenant's brand colour (#rrggbb), for the buttons. */
  color: string;
  personName: string;
  number: string;
  subject: string;
  intro: string;
  /** The scale's instruction line. */
  pick: string;
  choices: ScaleChoice[];
  /** The page's link; `?g=<value>` preselects a choice. */
  link: string;
  expires: string;
}

const COLOR = /^#[0-9a-f]{6}$/i;

export function surveyMailText(input: SurveyMailInput): string {
  const { t } = input;
  const lines = [
    t('survey.mail.greeting', { name: input.personName }), '',
    input.intro || t('survey.mail.intro', { number: input.number, subject: input.subject }), '',
    input.pick,
    ...input.choices.map((choice) => `  ${choice.label}: ${input.link}?g=${encodeURIComponent(choice.value)}`), '',
    t('survey.mail.expires', { date: input.expires }), '',
    input.tenantName,
  ];
  return `${lines.join('\n')}\n`;
}

/** The HTML part: a table of buttons (mail clients know no flexbox), inline colours (mail clients drop style sheets). */
export function surveyMailHtml(input: SurveyMailInput): string {
  const { t } = input;
  const color = COLOR.test(input.color) ? input.color : '#1f5fa8';
  const button = `display:inline-block;min-width:2.5em;padding:10px 14px;margin:2px;border-radius:6px;background:${color};color:#ffffff;text-decoration:none;font-weight:bold;font-size:18px;text-align:center`;
  const body = (
    <html lang={t('survey.mail.lang')}>
      <body style="font-family:Arial,Helvetica,sans-serif;color:#1b1f24;line-height:1.5">
        <p style={`font-size:18px;font-weight:bold;color:${color}`}>{input.tenantName}</p>
        <p>{t('survey.mail.greeting', { name: input.personName })}</p>
        <p>{input.intro || t('survey.mail.intro', { number: input.number, subject: input.subject })}</p>
        <p>{input.pick}</p>
        <table role="presentation" cellpadding="0" cellspacing="0"><tr>
          {input.choices.map((choice) => (
            <td><a href={`${input.link}?g=${encodeURIComponent(choice.value)}`} style={button} title={t('survey.mail.choose', { choice: choice.label })}>{choice.label}</a></td>
          ))}
        </tr></table>
        <p style="font-size:13px;color:#5b6570">{t('survey.mail.hint')}</p>
        <p style="font-size:13px;color:#5b6570">{t('survey.mail.expires', { date: input.expires })}</p>
      </body>
    </html>
  );
  return `<!doctype html>${body.toString()}`;
}
