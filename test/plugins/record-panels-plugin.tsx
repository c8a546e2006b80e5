// Written like a real plugin: only the plugin API.
import { CONTRACT_PAGE, ORGANISATION_PAGE, PERSON_PAGE, definePlugin } from '../../core/plugin-api.js';

/**
 * A test plugin with a panel on each of the agent's record pages. Each panel reads through the
 * slot's tenant scope, so a test sees that it gets the page's record and stays in the tenant.
 */
export const recordPanelsPlugin = definePlugin({
  id: 'panels',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'panels.name',
  messages: { en: { 'panels.name': 'Panels', 'panels.people': '{count} contact persons' }, de: { 'panels.name': 'Panels', 'panels.people': '{count} Ansprechpartner' } },
  register(api) {
    api.slot(ORGANISATION_PAGE, async ({ props, scope, t }) => {
      const people = await scope.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', props.organisation.id).executeTakeFirstOrThrow();
      return <section class="card" id="panel-organisation">{`Panel of ${props.organisation.name}: ${t('panels.people', { count: Number(people.n) })}`}</section>;
    });
    api.slot(PERSON_PAGE, ({ props }) => (
      // The person's record carries no password hash.
      <section class="card" id="panel-person">{`Panel of ${props.person.name} (${props.person.email ?? 'no mail'}; hash: ${'password_hash' in props.person ? 'present' : 'absent'})`}</section>
    ));
    api.slot(CONTRACT_PAGE, ({ props }) => (
      <section class="card" id="panel-contract">{`Panel of ${props.contract.number} for ${props.organisation.name}`}</section>
    ));
  },
});
