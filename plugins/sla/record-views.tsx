import type { Child } from 'hono/jsx';
import { SelectField, scopeFor, type ContractSlotProps, type OrganisationSlotProps, type SlotContext } from '../../core/plugin-api.js';
import type { SlaDB } from './sla-db.js';
import { VIEW } from './ticket-views.js';

/** Who picks a contract's or an organisation's level (supervisors and admins). */
export const ASSIGN = 'sla.assign';

async function levelPanel(ctx: SlotContext<unknown>, kind: 'contract' | 'organisation', targetId: number): Promise<Child> {
  if (!ctx.can(VIEW) && !ctx.can(ASSIGN)) return null;
  const scope = scopeFor<SlaDB>(ctx.scope);
  const levels = await scope.selectFrom('sla_levels').select(['id', 'name']).orderBy('name').execute();
  const current = await scope.selectFrom('sla_assignments').select('level_id').where('kind', '=', kind).where('target_id', '=', targetId).executeTakeFirst();
  const name = levels.find((level) => level.id === current?.level_id)?.name;
  return (
    <section class="card stack sla-panel" id={`sla-${kind}-level`}>
      <h2>{ctx.t(`sla.assign.${kind}`)}</h2>
      <p id={`sla-${kind}-level-name`}>{name ?? <span class="muted">{ctx.t('sla.level.none')}</span>}</p>
      {ctx.can(ASSIGN) ? (
        <form method="post" action={ctx.href(`/p/sla/${kind === 'contract' ? 'contracts' : 'organisations'}/${targetId}/level`)} class="stack sla-assign-form">
          <SelectField name="levelId" label={ctx.t('sla.level')} value={current?.level_id ?? ''} empty={ctx.t('sla.level.none')}
            options={levels.map((level) => ({ value: level.id, label: level.name }))} errors={undefined} />
          <div><button type="submit" class="button" id={`sla-${kind}-level-save`}>{ctx.t('common.save')}</button></div>
        </form>
      ) : null}
    </section>
  );
}

/** The contract page's panel (its level, and the picker for supervisors and admins). */
export const ContractLevel = (ctx: SlotContext<ContractSlotProps>) => levelPanel(ctx, 'contract', ctx.props.contract.id);
/** The organisation page's panel: the customer's default level. */
export const OrganisationLevel = (ctx: SlotContext<OrganisationSlotProps>) => levelPanel(ctx, 'organisation', ctx.props.organisation.id);
