import type { Generated, Kysely } from 'kysely';
// Written like a real plugin: only the plugin API.
import {
  DASHBOARD_TILES, DashboardTile, TICKET_BADGES, TICKET_CREATED, TICKET_CREATE_FIELDS, TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS, TextField, USER_MENU, SHELL_OVERLAY,
  definePlugin, invalidFields, withId, type DB,
} from '../../core/plugin-api.js';

/** The plugin's own table: one asset tag per ticket. */
interface AssetTagsTable { id: Generated<number>; tenant_id: number; ticket_id: number; tag: string }
type AssetsDB = DB & { assets_tags: AssetTagsTable };
const assetsDb = (db: Kysely<DB>) => db as unknown as Kysely<AssetsDB>;

/** Its create-form field, list filter parameter and refusal messages. */
export const ASSET_FIELD = 'p.assets.tag';
const TAG = /^[A-Z]{2}-\d{3,6}$/;

/** What a test reads back: every batch of ticket ids the list column was asked for. */
export interface AssetTagsProbe { batches: number[][] }

/**
 * A small plugin for the desk's surfaces (a stand-in for hardware's device): a required asset tag on every
 * create form, validated and stored inside the create transaction; a list column and a list filter; a
 * header badge; a dashboard tile; an entry of the user menu.
 */
export function assetTagsPlugin(probe: AssetTagsProbe = { batches: [] }) {
  return definePlugin({
    id: 'assets',
    version: '1.0.0',
    core: '^1.0.0',
    name: 'assets.name',
    messages: {
      en: {
        'assets.name': 'Asset tags', 'assets.column': 'Asset', 'assets.field': 'Asset tag', 'assets.required': 'Enter the asset tag.',
        'assets.format': 'An asset tag looks like AB-123.', 'assets.tile': 'Tickets with an asset', 'assets.menu': 'My assets',
        'assets.owner': 'A device of {name}',
      },
      de: {
        'assets.name': 'Inventarnummern', 'assets.column': 'Gerät', 'assets.field': 'Inventarnummer', 'assets.required': 'Bitte die Inventarnummer angeben.',
        'assets.format': 'Eine Inventarnummer sieht so aus: AB-123.', 'assets.tile': 'Tickets mit Gerät', 'assets.menu': 'Meine Geräte',
        'assets.owner': 'Ein Gerät von {name}',
      },
    },
    migrations: {
      '0001-assets-tags': {
        up: async (db) => {
          await withId(db, db.schema.createTable('assets_tags'))
            .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
            .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
            .addColumn('tag', 'text', (c) => c.notNull())
            .execute();
          await db.schema.createIndex('assets_tags_tenant_tag').on('assets_tags').columns(['tenant_id', 'tag']).execute();
          await db.schema.createIndex('assets_tags_ticket').on('assets_tags').column('ticket_id').execute();
        },
        down: async (db) => {
          await db.schema.dropTable('assets_tags').execute();
        },
      },
    },
    register(api) {
      api.routes((app) => app.get('/', (c) => c.text('assets')));

      api.slot(TICKET_CREATE_FIELDS, ({ t, props }) => (
        <TextField name={ASSET_FIELD} label={`${t('assets.field')} *`} value={props.values[ASSET_FIELD]} errors={props.errors} maxlength={20} placeholder="AB-123"
          hint={props.surface === 'portal' ? t('assets.owner', { name: props.person.name }) : undefined} />
      ));
      api.filter(TICKET_CREATED, async (payload, { trx }) => {
        const sent = payload.pluginFields[ASSET_FIELD];
        // Created without the form's field (mail, API): nothing to check.
        if (sent === undefined) return;
        const tag = sent.trim().toUpperCase();
        if (!tag) throw invalidFields('error.invalid', { [ASSET_FIELD]: 'assets.required' });
        if (!TAG.test(tag)) throw invalidFields('error.invalid', { [ASSET_FIELD]: 'assets.format' });
        // The create transaction: a later veto takes this row with the ticket.
        await assetsDb(trx).insertInto('assets_tags').values({ tenant_id: payload.tenantId, ticket_id: payload.ticketId, tag }).execute();
      });

      api.provide(TICKET_LIST_COLUMNS, {
        key: 'assets.tag',
        label: (t) => t('assets.column'),
        async cells(ticketIds, ctx) {
          probe.batches.push([...ticketIds]);
          const rows = await assetsDb(ctx.scope.db).selectFrom('assets_tags').select(['ticket_id', 'tag'])
            .where('tenant_id', '=', ctx.tenantId).where('ticket_id', 'in', [...ticketIds]).execute();
          return new Map(rows.map((row) => [row.ticket_id, <code class="asset-tag">{row.tag}</code>]));
        },
      });
      api.provide(TICKET_LIST_FILTERS, {
        key: 'assets.tag',
        label: (t) => t('assets.field'),
        control: (_ctx, field) => <TextField name={field.name} label={field.label} value={field.value} errors={field.errors} maxlength={20} placeholder="AB-123" />,
        ticketIds(scope, value) {
          const tag = value.trim().toUpperCase();
          if (!TAG.test(tag)) throw invalidFields('error.invalid', { [ASSET_FIELD]: 'assets.format' });
          return assetsDb(scope.db).selectFrom('assets_tags').select('ticket_id').where('tenant_id', '=', scope.tenantId).where('tag', '=', tag);
        },
      });

      api.slot(TICKET_BADGES, async ({ t, props, scope }) => {
        const row = await assetsDb(scope.db).selectFrom('assets_tags').select('tag').where('tenant_id', '=', scope.tenantId).where('ticket_id', '=', props.ticket.id).executeTakeFirst();
        return row ? <span class="badge" id="assets-badge">{t('assets.column')}: {row.tag}</span> : null;
      });
      api.slot(DASHBOARD_TILES, async ({ t, href, scope }) => {
        const { n } = await assetsDb(scope.db).selectFrom('assets_tags').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', scope.tenantId).executeTakeFirstOrThrow();
        return <DashboardTile id="assets-tile" value={Number(n)} label={t('assets.tile')} href={href('/desk/tickets?queue=all')} tone="info" />;
      });
      api.slot(USER_MENU, ({ t, href }) => <a href={href('/p/assets')} id="assets-menu">{t('assets.menu')}</a>);
      api.slot(SHELL_OVERLAY, ({ userId }) => <div id="assets-overlay" data-user={String(userId)}></div>);
    },
  });
}
