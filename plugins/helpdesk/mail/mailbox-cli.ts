import { CliCommandError, CliUsageError, tenantScope, type PluginCliCommand, type PluginCliContext } from '../../../core/plugin-api.js';
import { createMailboxStore, mailboxFromUrl, mailboxInputSchema, MailboxStoreError } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

async function openTenant(ctx: PluginCliContext) {
  const slug = ctx.values.tenant;
  if (typeof slug !== 'string' || !slug.trim()) throw new CliUsageError('--tenant is required');
  const { database, config } = await ctx.open();
  const tenant = await database.db.selectFrom('tenants').select(['id', 'slug']).where('slug', '=', slug.trim()).executeTakeFirst();
  if (!tenant) throw new CliCommandError(`no tenant with slug "${slug}" (see tenant:list)`);
  const enabled = await tenantScope(database.db, tenant.id).selectFrom('tenant_plugins').select('enabled').where('plugin_id', '=', 'helpdesk').executeTakeFirst();
  return { database, tenant, enabled: Boolean(enabled?.enabled), store: createMailboxStore(database.db, tenant.id, createSecretBox(config.secret)) };
}

/** The operator's mailbox commands: add, list and remove a tenant's helpdesk mailboxes. */
export function mailboxCommands(): PluginCliCommand[] {
  return [
    {
      name: 'mailbox:add',
      summary: 'add a helpdesk mailbox to a tenant (IMAP import, SMTP for replies)',
      usage: 'mailbox:add --tenant <slug> --imap imap[s]://user:pass@host:port/INBOX[?tls=none] [--smtp smtp[s]://user:pass@host:port] --from <address> [--name <label>] [--from-name <name>]',
      options: { tenant: { type: 'string' }, imap: { type: 'string' }, smtp: { type: 'string' }, from: { type: 'string' }, name: { type: 'string' }, 'from-name': { type: 'string' } },
      async run(ctx) {
        const imap = ctx.values.imap;
        const from = ctx.values.from;
        if (typeof imap !== 'string' || !imap) throw new CliUsageError('--imap is required');
        if (typeof from !== 'string' || !from) throw new CliUsageError('--from is required');
        let fromUrl;
        try {
          fromUrl = mailboxFromUrl(imap);
        } catch (error) {
          throw new CliUsageError(`--imap: ${error instanceof Error ? error.message : String(error)}`);
        }
        const parsed = mailboxInputSchema.safeParse({
          ...fromUrl, name: typeof ctx.values.name === 'string' ? ctx.values.name : from, smtp_url: typeof ctx.values.smtp === 'string' ? ctx.values.smtp : '',
          from_address: from, from_name: typeof ctx.values['from-name'] === 'string' ? ctx.values['from-name'] : '', active: true,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = { from_address: '--from', smtp_url: '--smtp', name: '--name' }[String(issue.path[0])] ?? '--imap';
          throw new CliUsageError(`${field}: ${String(issue.path[0])} is invalid`);
        }
        const { tenant, enabled, store } = await openTenant(ctx);
        try {
          const id = await store.create(parsed.data);
          ctx.io.out(`added mailbox ${id} (${parsed.data.imap_user}@${parsed.data.imap_host}:${parsed.data.imap_port}/${parsed.data.imap_folder}, from ${parsed.data.from_address}) to ${tenant.slug}`);
          if (!enabled) ctx.io.out(`note: the helpdesk plugin is off for ${tenant.slug}; switch it on with plugin:enable --tenant ${tenant.slug} --plugin helpdesk`);
        } catch (error) {
          if (error instanceof MailboxStoreError) throw new CliUsageError(`--imap needs a password`);
          throw error;
        }
      },
    },
    {
      name: 'mailbox:list',
      summary: 'list a tenant\'s helpdesk mailboxes (passwords are never shown)',
      usage: 'mailbox:list --tenant <slug> [--json]',
      options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
      async run(ctx) {
        const { store } = await openTenant(ctx);
        const rows = (await store.list()).map((row) => ({
          id: row.id, name: row.name, imap: `${row.imap_tls === 'tls' ? 'imaps' : 'imap'}://${row.imap_user}@${row.imap_host}:${row.imap_port}/${row.imap_folder}`,
          tls: row.imap_tls, from: row.from_address, smtp: row.smtp_url ? 'own' : 'tenant default', active: Boolean(row.active), lastError: row.last_error,
        }));
        if (ctx.values.json) {
          ctx.io.out(JSON.stringify(rows));
          return;
        }
        ctx.io.out(['ID', 'NAME', 'IMAP', 'FROM', 'SMTP', 'ACTIVE'].join('\t'));
        for (const row of rows) ctx.io.out([row.id, row.name, row.imap, row.from, row.smtp, row.active ? 'yes' : 'no'].join('\t'));
      },
    },
    {
      name: 'mailbox:remove',
      summary: 'remove a helpdesk mailbox (imported mails and tickets stay)',
      usage: 'mailbox:remove --tenant <slug> --id <id>',
      options: { tenant: { type: 'string' }, id: { type: 'string' } },
      async run(ctx) {
        const id = Number(ctx.values.id);
        if (!Number.isInteger(id) || id <= 0) throw new CliUsageError('--id must be a mailbox id (see mailbox:list)');
        const { tenant, store } = await openTenant(ctx);
        if (!(await store.remove(id))) throw new CliCommandError(`no mailbox ${id} in tenant ${tenant.slug}`);
        ctx.io.out(`removed mailbox ${id} from ${tenant.slug}`);
      },
    },
  ];
}
