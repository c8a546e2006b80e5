// Written like a real plugin: only the plugin API and the portal's published extension points.
import { definePlugin } from '../../core/plugin-api.js';
import { PORTAL_HOME, PORTAL_NAV } from '../../plugins/portal/extension-points.js';

/**
 * A test plugin on the portal's home and navigation: a card listing the requests of the viewer's
 * organisation (organisation managers) or their own (everyone else), a greeting for visitors, and
 * navigation entries for signed-in users with an organisation and for visitors.
 */
export const portalCardsPlugin = definePlugin({
  id: 'cards',
  version: '1.0.0',
  core: '^1.0.0',
  dependsOn: ['portal'],
  name: 'cards.name',
  messages: {
    en: { 'cards.name': 'Portal cards', 'cards.nav.organisation': 'Our organisation', 'cards.nav.help': 'Help', 'cards.title': 'Requests of {name}' },
    de: { 'cards.name': 'Portalkarten', 'cards.nav.organisation': 'Unsere Organisation', 'cards.nav.help': 'Hilfe', 'cards.title': 'Anfragen von {name}' },
  },
  register(api) {
    api.slot(PORTAL_HOME, async ({ props, scope, t }) => {
      const viewer = props.person;
      if (!viewer) return <section class="card" id="cards-visitor">Hello visitor</section>;
      let query = scope.selectFrom('tickets').select('subject').where('deleted_at', 'is', null).orderBy('id');
      query = viewer.is_org_manager && viewer.organisation_id !== null
        ? query.where('organisation_id', '=', viewer.organisation_id)
        : query.where('requester_id', '=', viewer.id);
      const subjects = (await query.execute()).map((row) => row.subject);
      return <section class="card" id="cards-requests"><h2>{t('cards.title', { name: viewer.name })}</h2><p>{subjects.join(' | ') || '-'}</p></section>;
    });
    api.provide(PORTAL_NAV, {
      items: ({ person }) => (person
        ? (person.organisation_id === null ? [] : [{ id: 'cards-organisation', label: 'cards.nav.organisation', href: '/portal/cards', order: 15 }])
        : [{ id: 'cards-help', label: 'cards.nav.help', href: '/portal/cards' }]),
    });
    api.portalRoutes((app) => app.get('/cards', (c) => c.text(`cards for ${c.var.person?.name ?? 'a visitor'}`)));
  },
});
