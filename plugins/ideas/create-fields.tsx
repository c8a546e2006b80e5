import type { Child } from 'hono/jsx';
import { Checkbox, TextArea, type SlotContext, type TicketCreateFieldsProps } from '../../core/plugin-api.js';
import { FIELD } from './proposal-store.js';
import { readSettings } from './settings.js';

/**
 * The create forms' "this request is an improvement proposal" with its benefit: on the desk's new ticket (with the
 * choice to stay anonymous towards colleagues), and on the portal's new request while the tenant allows portal ideas.
 * Choosing the proposal topic as the ticket's category does the same (see proposal-created.ts).
 */
export async function ProposalCreateFields(ctx: SlotContext<TicketCreateFieldsProps>): Promise<Child> {
  const { t, props } = ctx;
  if (props.surface === 'portal' && !(await readSettings(ctx.scope)).portalIdeas) return null;
  return (
    <fieldset class="stack ideas-create-fields" id="ideas-create-fields"><legend>{t('ideas.name')}</legend>
      <Checkbox name={FIELD.kind} label={t('ideas.field.kind')} checked={props.values[FIELD.kind] === '1' || props.values[FIELD.kind] === 'on'} />
      <TextArea name={FIELD.benefit} label={t('ideas.field.benefit')} value={props.values[FIELD.benefit]} errors={props.errors} rows={2} />
      {props.surface === 'portal' ? null : <Checkbox name={FIELD.anonymous} label={t('ideas.field.anonymous')} checked={props.values[FIELD.anonymous] === '1' || props.values[FIELD.anonymous] === 'on'} />}
    </fieldset>
  );
}
