/**
 * The files of a new plugin (see plugin-scaffold.ts), with placeholders: __ID__ the plugin id (`on-call`),
 * __CAMEL__ (`onCall`), __PASCAL__ (`OnCall`), __TABLE__ the table prefix (`on_call`), __UP__ the path from the
 * plugin's folder up to the project (`../..`).
 */
const FILES: Record<string, string> = {
  'index.tsx': `import { definePlugin } from '__UP__/core/plugin-api.js';
import { itemRoutes } from './item-routes.js';
import { __CAMEL__Messages } from './messages.js';
import { __CAMEL__Migrations } from './migrations.js';

/**
 * Plugin "__ID__": say here in two sentences what it gives a helpdesk. Everything it contributes is
 * declared below; plugins/README.md lists every seam (slots, events, extension points, jobs, CLI, API).
 */
export const __CAMEL__Plugin = definePlugin({
  id: '__ID__',
  version: '0.1.0',
  core: '^1.0.0',
  name: '__ID__.name',
  permissions: [
    { key: '__ID__.view', roles: ['admin', 'supervisor', 'agent'], label: { en: 'See the __ID__ items', de: '__ID__-Einträge sehen' } },
    { key: '__ID__.manage', roles: ['admin'], label: { en: 'Manage the __ID__ items', de: '__ID__-Einträge verwalten' } },
  ],
  adminSections: [{ id: '__ID__-items', label: '__ID__.items', description: '__ID__.items.text', href: '/p/__ID__/items', permission: '__ID__.manage' }],
  auditActions: { '__ID__.item_created': { en: 'Created a __ID__ item', de: '__ID__-Eintrag angelegt' } },
  migrations: __CAMEL__Migrations,
  messages: __CAMEL__Messages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.nav({ id: '__ID__', label: '__ID__.name', href: '/p/__ID__', permission: '__ID__.view', order: 80 });
    api.routes(itemRoutes);
  },
});
`,

  '__ID__-db.ts': `import type { Generated } from 'kysely';
import type { DB } from '__UP__/core/plugin-api.js';

export interface __PASCAL__ItemsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  /** ISO instant from the app's clock. */
  created_at: string;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<__PASCAL__DB>) reaches them like the core's. */
export interface __PASCAL__DB extends DB {
  __TABLE___items: __PASCAL__ItemsTable;
}
`,

  'migrations.ts': `import type { Kysely, Migration } from 'kysely';
import { withId } from '__UP__/core/plugin-api.js';

/** Run in name order, recorded in kysely_migration___TABLE__; never edit one that has shipped, add the next. */
export const __CAMEL__Migrations: Record<string, Migration> = {
  '0001-__ID__-items': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('__TABLE___items'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('__TABLE___items_tenant_name').on('__TABLE___items').columns(['tenant_id', 'name']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('__TABLE___items').execute();
    },
  },
};
`,

  'item-store.ts': `import { DomainError, invalidFields, pluginScope, type Services } from '__UP__/core/plugin-api.js';
import type { __PASCAL__DB } from './__ID__-db.js';

export const NAME_MAX = 120;

export interface Item { id: number; name: string; created_at: string }

/**
 * The plugin's service: the tenant's items, every query through the tenant scope. It refuses with
 * DomainError (field messages are catalog keys); routes, the API and the CLI map it.
 */
export function itemStore(services: Services, tenantId: number) {
  const scope = pluginScope<__PASCAL__DB>(services.db, tenantId);
  return {
    list(): Promise<Item[]> {
      return scope.selectFrom('__TABLE___items').select(['id', 'name', 'created_at']).orderBy('name').limit(500).execute();
    },

    /** Adds an item and its audit entry in one transaction. */
    async create(name: string, actor: { id: number; label: string }): Promise<Item> {
      const trimmed = name.trim();
      if (!trimmed) throw invalidFields('error.invalid', { name: '__ID__.field.required' });
      if (trimmed.length > NAME_MAX) throw invalidFields('error.invalid', { name: '__ID__.field.tooLong' });
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const taken = await tx.selectFrom('__TABLE___items').select('id').where('name', '=', trimmed).executeTakeFirst();
        if (taken) throw new DomainError('conflict', 'error.invalid', { name: '__ID__.field.taken' });
        const item = await tx.insertInto('__TABLE___items', { name: trimmed, created_at: services.clock().toISOString() })
          .returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: '__ID__.item_created', target: trimmed }, trx);
        return item;
      });
    },
  };
}
`,

  'item-routes.tsx': `import type { Context, Hono } from 'hono';
import {
  DomainError, FormError, Page, TextField, flash, formatDateTime, href, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '__UP__/core/plugin-api.js';
import { NAME_MAX, itemStore, type Item } from './item-store.js';

/** The staff pages under /p/__ID__: the list for everyone allowed to see it, the admin page with its form. */
export function itemRoutes(app: Hono<AppEnv>): void {
  app.get('/', requirePermission('__ID__.view'), async (c) => {
    const t = c.var.t;
    const items = await itemStore(c.var.services, tenantOf(c).id).list();
    return render(c, { title: t('__ID__.name'), page: <Page title={t('__ID__.name')}><ItemList c={c} items={items} /></Page> });
  });

  app.get('/items', requirePermission('__ID__.manage'), (c) => itemsPage(c, ''));

  app.post('/items', requirePermission('__ID__.manage'), async (c) => {
    const name = String((await c.req.parseBody()).name ?? '');
    const user = staff(c);
    try {
      await itemStore(c.var.services, tenantOf(c).id).create(name, { id: user.id, label: user.email });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Refused: the form again with what was typed and the message at the field.
      return itemsPage(c, name, error.fields, error.kind === 'conflict' ? 409 : 422);
    }
    flash(c, 'success', c.var.t('__ID__.item.created'));
    return redirectTo(c, href(c, '/p/__ID__/items'));
  });
}

async function itemsPage(c: Context<AppEnv>, name: string, fields?: Readonly<Record<string, string>>, status: 200 | 409 | 422 = 200) {
  const t = c.var.t;
  const errors = Object.fromEntries(Object.entries(fields ?? {}).map(([field, key]) => [field, t(key, { max: NAME_MAX })]));
  const items = await itemStore(c.var.services, tenantOf(c).id).list();
  return render(c, {
    title: t('__ID__.items'),
    status,
    page: (
      <Page title={t('__ID__.items')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('__ID__.items') }]}>
        <form method="post" action={href(c, '/p/__ID__/items')} class="card stack" id="__ID__-item-form">
          <FormError message={fields ? t('error.invalid') : undefined} />
          <TextField name="name" label={t('__ID__.field.name')} value={name} errors={errors} />
          <div><button type="submit" class="button-primary" id="__ID__-item-add">{t('__ID__.item.add')}</button></div>
        </form>
        <ItemList c={c} items={items} />
      </Page>
    ),
  });
}

function ItemList(props: { c: Context<AppEnv>; items: Item[] }) {
  const { c, items } = props;
  if (items.length === 0) return <p class="muted" id="__ID__-empty">{c.var.t('__ID__.empty')}</p>;
  return (
    <ul class="__ID__-list" id="__ID__-items">
      {items.map((item) => <li>{item.name} <time class="muted" datetime={item.created_at}>{formatDateTime(item.created_at, c.var.dates)}</time></li>)}
    </ul>
  );
}
`,

  'messages.ts': `import type { Messages } from '__UP__/core/plugin-api.js';

/** Every text the plugin shows, in both languages (its contract test checks that the keys match). */
export const __CAMEL__Messages: { en: Messages; de: Messages } = {
  en: {
    '__ID__.name': '__PASCAL__',
    '__ID__.items': '__PASCAL__ items',
    '__ID__.items.text': 'The items of __ID__.',
    '__ID__.empty': 'No items yet.',
    '__ID__.field.name': 'Name',
    '__ID__.field.required': 'Enter a name.',
    '__ID__.field.tooLong': 'A name has at most {max} characters.',
    '__ID__.field.taken': 'An item with this name exists already.',
    '__ID__.item.add': 'Add item',
    '__ID__.item.created': 'Item added.',
  },
  de: {
    '__ID__.name': '__PASCAL__',
    '__ID__.items': '__PASCAL__-Einträge',
    '__ID__.items.text': 'Die Einträge von __ID__.',
    '__ID__.empty': 'Noch keine Einträge.',
    '__ID__.field.name': 'Name',
    '__ID__.field.required': 'Bitte einen Namen angeben.',
    '__ID__.field.tooLong': 'Ein Name hat höchstens {max} Zeichen.',
    '__ID__.field.taken': 'Einen Eintrag mit diesem Namen gibt es schon.',
    '__ID__.item.add': 'Eintrag hinzufügen',
    '__ID__.item.created': 'Eintrag hinzugefügt.',
  },
};
`,

  'static/__ID__.css': `/* Plugin __ID__: linked only for tenants that have it on. Use core's design tokens (var(--brand), var(--muted), …)
   and a class of the plugin's own in every selector. */
.__ID__-list { list-style: none; margin: 1rem 0 0; padding: 0; display: grid; gap: .35rem; }
.__ID__-list li { border-left: 3px solid var(--brand); padding: .25rem .5rem; overflow-wrap: anywhere; }
`,

  'README.md': `# Plugin \`__ID__\`

Scaffolded by \`npm run new:plugin -- __ID__\`. Say here what it does and for whom.

- Install it: import \`__CAMEL__Plugin\` from \`plugins/__ID__/index.js\` in \`config/plugins.ts\` and add it to \`installedPlugins\`;
  a tenant switches it on under Platform → Tenants (or \`npm run tresen -- plugin:enable --tenant <slug> --plugin __ID__\`).
- Its table \`__TABLE___items\` is reached only through the tenant scope (\`pluginScope<__PASCAL__DB>\`, \`scope<__PASCAL__DB>(c)\`).
- Tests: \`npx vitest run plugins/__ID__\` runs the contract test (both dialects: registers, migrates, 404 while off,
  declarations, CSS) and the behaviour test (form, refusals, cross-tenant).
- Next: rename the items to what the plugin manages, add slots, events, jobs, API operations as plugins/README.md
  shows, and keep a test beside each file.
`,

  '__ID__.contract.test.ts': `import { describePluginContract } from '__UP__/test/harness/plugin-contract.js';
import { __CAMEL__Plugin } from './index.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts).
describePluginContract(__CAMEL__Plugin);
`,

  '__ID__.test.ts': `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '__UP__/core/plugin-host/plugin-switches.js';
import { pluginScope } from '__UP__/core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '__UP__/test/harness/test-app.js';
import { dialects } from '__UP__/test/harness/test-database.js';
import type { __PASCAL__DB } from './__ID__-db.js';
import { __CAMEL__Plugin } from './index.js';

describe.each(dialects)('plugin __ID__ on %s', (dialect) => {
  let app: TestApp;
  const tenants: Record<string, { id: number; admin: string }> = {};

  const names = async (slug: string) => (await pluginScope<__PASCAL__DB>(app.services.db, tenants[slug]!.id).selectFrom('__TABLE___items').select('name').orderBy('name').execute()).map((row) => row.name);
  const add = (slug: string, name: string, cookie = tenants[slug]!.admin) => app.request('/t/' + slug + '/p/__ID__/items', { method: 'POST', body: new URLSearchParams({ name }), cookie });

  beforeAll(async () => {
    app = await createTestApp(dialect, [__CAMEL__Plugin]);
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, '__ID__');
      await app.createStaff(tenant.id, 'admin', 'admin@' + slug + '.test');
      tenants[slug] = { id: tenant.id, admin: await app.signIn('admin@' + slug + '.test', slug) };
    }
  });
  afterAll(() => app.cleanup());

  it('adds an item on its admin page, with an audit entry, and lists it', async () => {
    const response = await add('one', '  First item ');
    expect(response.status).toBe(303);
    expect(await names('one')).toEqual(['First item']);
    const page = await (await app.request('/t/one/p/__ID__', { cookie: tenants.one!.admin })).text();
    expect(page).toContain('First item');
    const audit = await app.services.db.selectFrom('audit_log').select(['tenant_id', 'target']).where('action', '=', '__ID__.item_created').execute();
    expect(audit).toEqual([{ tenant_id: tenants.one!.id, target: 'First item' }]);
  });

  it('refuses an empty, a too long and a taken name at the field, keeping the input and saving nothing', async () => {
    const before = await names('one');
    const empty = await add('one', '   ');
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Enter a name.');
    const long = await add('one', 'x'.repeat(121));
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('A name has at most 120 characters.');
    const taken = await add('one', 'First item');
    expect(taken.status).toBe(409);
    expect(await taken.text()).toMatch(/name="name" type="text" value="First item"/);
    expect(await names('one')).toEqual(before);
  });

  it('keeps each tenant\\'s items to itself', async () => {
    expect((await add('two', 'First item')).status).toBe(303);
    expect(await names('two')).toEqual(['First item']);
    const other = await (await app.request('/t/two/p/__ID__', { cookie: tenants.two!.admin })).text();
    expect(other.match(/First item/g)).toHaveLength(1);
    // One tenant's session opens nothing of another's.
    expect((await app.request('/t/two/p/__ID__/items', { cookie: tenants.one!.admin })).status).not.toBe(200);
    await add('two', 'Sneaky', tenants.one!.admin);
    expect(await names('two')).toEqual(['First item']);
  });
});
`,
};

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/** The new plugin's files by their path inside its folder, the placeholders filled in. */
export function pluginTemplates(input: { id: string; up: string }): Record<string, string> {
  const values: Record<string, string> = {
    __ID__: input.id,
    __CAMEL__: camel(input.id),
    __PASCAL__: camel(input.id).replace(/^./, (char) => char.toUpperCase()),
    __TABLE__: input.id.replace(/-/g, '_'),
    __UP__: input.up,
  };
  const fill = (text: string) => text.replace(/__(ID|CAMEL|PASCAL|TABLE|UP)__/g, (placeholder) => values[placeholder]!);
  return Object.fromEntries(Object.entries(FILES).map(([name, text]) => [fill(name), fill(text)]));
}
