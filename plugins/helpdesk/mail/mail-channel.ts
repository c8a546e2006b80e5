import type { ImapFlow } from 'imapflow';
import { ARTICLE_VIEW_POINT, TICKET_ARTICLE, TICKET_ARTICLE_ADDED, TICKET_CREATED, type JobContext, type PluginApi, type Services, type WorkerContext } from '../../../core/plugin-api.js';
import { mailArticleView } from './article-view.js';
import { createSettlementContext, type SettlementContext } from './mail-apply.js';
import { mailboxCommands } from './mailbox-cli.js';
import { importMailbox } from './mail-import.js';
import { mailReply } from './mail-outgoing.js';
import { processPendingMails } from './mail-processor.js';
import { createMailboxStore } from './mailbox-store.js';
import { imapClient } from './imap-connection.js';
import { createParserPool, type ParserPool } from './parser-pool.js';
import { createSecretBox } from './secret-box.js';
import { mailRoutes } from './mail-routes.js';

/**
 * Imports every active mailbox of the tenant and processes what is stored (also mails left by
 * a crash). Processing runs beside the import: each fetched chunk commits and is parsed and
 * settled while the next chunk is fetched.
 */
export async function runTenantImport(services: Services, settlement: SettlementContext, tenantId: number, options: { mailboxId?: number; signal?: AbortSignal; pool?: () => ParserPool } = {}): Promise<{ stored: number; processed: number }> {
  const store = createMailboxStore(services.db, tenantId, createSecretBox(services.config.secret));
  let stored = 0;
  let imported = false;
  // Resolved when a chunk's rows commit, then replaced: processing waits for work instead of polling.
  let wakeOnCommit!: () => void;
  let nextCommit = new Promise<void>((resolve) => { wakeOnCommit = resolve; });
  const onCommitted = () => {
    const wake = wakeOnCommit;
    nextCommit = new Promise<void>((resolve) => { wakeOnCommit = resolve; });
    wake();
  };
  const importing = (async () => {
    for (const row of await store.list()) {
      if (!row.active || (options.mailboxId && row.id !== options.mailboxId)) continue;
      const full = (await store.get(row.id))!;
      try {
        stored += (await importMailbox(services, store.connection(full), { signal: options.signal, onCommitted })).stored;
      } catch (error) {
        // One unreachable mailbox must not stop the others; its error shows on the admin page.
        services.log.warn('helpdesk mailbox import failed', { tenantId, mailbox: row.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  })().finally(() => { imported = true; });
  // The pool starts its workers on the first parse only.
  const own = options.pool ? undefined : createParserPool();
  const pool = options.pool?.() ?? own!;
  let processed = 0;
  try {
    for (;;) {
      const importDone = imported;
      // Taken before processing: a commit while it runs wakes the wait below at once.
      const committed = nextCommit;
      const count = await processPendingMails({ services, settlement, pool }, tenantId, { limit: 100_000 });
      processed += count;
      if (count > 0) continue;
      if (importDone) break;
      await Promise.race([importing, committed]);
    }
    await importing;
    return { stored, processed };
  } finally {
    await own?.close();
  }
}

/** One parser pool per registration, started on first use (its workers do not keep the process alive). */
function sharedPool(): () => ParserPool {
  let pool: ParserPool | undefined;
  return () => (pool ??= createParserPool());
}

/**
 * Keeps one IDLE connection per active mailbox of tenants that have the helpdesk on, and runs
 * the import when the server announces new mail. Mailboxes without IDLE are left to the polling
 * job. The set of mailboxes is reconciled every `refreshMs`.
 */
function idleWatcher(settlement: SettlementContext, pool: () => ParserPool, refreshMs = 60_000) {
  return {
    id: 'imap-idle',
    async start({ services, signal }: WorkerContext) {
      const watching = new Map<string, ImapFlow>();
      const running = new Map<number, Promise<unknown>>();
      const trigger = (tenantId: number, mailboxId: number) => {
        if (signal.aborted || running.has(mailboxId)) return;
        const work = runTenantImport(services, settlement, tenantId, { mailboxId, signal, pool }).catch((error: unknown) => services.log.warn('helpdesk idle import failed', { error: String(error) }))
          .finally(() => running.delete(mailboxId));
        running.set(mailboxId, work);
      };
      async function reconcile(): Promise<void> {
        const snapshot = await services.tenants.snapshot();
        const wanted = new Set<string>();
        for (const tenant of snapshot.byId.values()) {
          if (!snapshot.enabledPlugins.get(tenant.id)?.has('helpdesk')) continue;
          const store = createMailboxStore(services.db, tenant.id, createSecretBox(services.config.secret));
          for (const row of await store.list()) {
            if (!row.active) continue;
            const full = (await store.get(row.id))!;
            const key = `${tenant.id}:${row.id}:${full.imap_host}:${full.imap_port}:${full.imap_user}:${full.imap_folder}:${full.imap_password}`;
            wanted.add(key);
            if (watching.has(key)) continue;
            const client = imapClient(store.connection(full));
            client.on('error', () => {});
            client.on('close', () => watching.delete(key));
            client.on('exists', () => trigger(tenant.id, row.id));
            try {
              await client.connect();
              if (!client.capabilities.has('IDLE')) {
                await client.logout();
                continue;
              }
              await client.mailboxOpen(full.imap_folder, { readOnly: true });
              watching.set(key, client);
              trigger(tenant.id, row.id);
              void client.idle().catch(() => {});
            } catch {
              client.close();
            }
          }
        }
        for (const [key, client] of watching) {
          if (!wanted.has(key)) {
            watching.delete(key);
            client.close();
          }
        }
      }
      const loop = async () => {
        while (!signal.aborted) {
          await reconcile().catch((error: unknown) => services.log.warn('helpdesk idle watcher', { error: String(error) }));
          await new Promise((resolve) => { const timer = setTimeout(resolve, refreshMs); signal.addEventListener('abort', () => { clearTimeout(timer); resolve(undefined); }, { once: true }); });
        }
      };
      const looping = loop();
      return {
        async stop() {
          for (const client of watching.values()) client.close();
          watching.clear();
          await looping;
          await Promise.all(running.values());
        },
      };
    },
  };
}

/** Registers the mail channel (its mailboxes page is an admin section, see index.ts): routes, nav, hooks, the polling job, the IDLE worker and the CLI. */
export function registerMailChannel(api: PluginApi): void {
  const settlement = createSettlementContext();
  const pool = sharedPool();
  // The mail's settlement commits with the ticket change it causes (see mail-apply.ts).
  api.filter(TICKET_CREATED, (payload, ctx) => settlement.filter(payload, ctx));
  api.filter(TICKET_ARTICLE_ADDED, (payload, ctx) => settlement.filter(payload, ctx));
  api.on(TICKET_ARTICLE, (payload, { services }) => mailReply(services, payload));
  api.job({
    id: 'mail-import',
    schedule: 'FREQ=MINUTELY;INTERVAL=2',
    run: async (ctx: JobContext) => {
      if (!ctx.services || ctx.tenantId === null) return;
      await runTenantImport(ctx.services, settlement, ctx.tenantId, { pool });
    },
  });
  api.worker(idleWatcher(settlement, pool));
  for (const command of mailboxCommands()) api.cli(command);
  api.nav({ id: 'mails', label: 'helpdesk.nav.mails', href: '/p/helpdesk/mails', permission: 'helpdesk.mails', order: 30 });
  api.routes((app) => mailRoutes(app, settlement));
  api.provide(ARTICLE_VIEW_POINT, mailArticleView);
}
