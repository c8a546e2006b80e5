import type { ImapFlow } from 'imapflow';
import { ARTICLE_VIEW_POINT, REPLY_MAIL_POINT, TICKET_ARTICLE, TICKET_ARTICLE_ADDED, TICKET_CREATED, type JobContext, type PluginApi, type Services, type WorkerContext } from '../../../core/plugin-api.js';
import { mailArticleView } from './article-view.js';
import { createSettlementContext, type SettlementContext } from './mail-apply.js';
import { mailboxCommands } from './mailbox-cli.js';
import { importMailbox } from './mail-import.js';
import { mailReply, replyMailChannel } from './mail-outgoing.js';
import { processPendingMails } from './mail-processor.js';
import { createMailboxStore, type MailboxConnection } from './mailbox-store.js';
import { imapClient } from './imap-connection.js';
import { createParserPool, type ParserPool } from './parser-pool.js';
import { createSecretBox } from './secret-box.js';
import { mailRoutes } from './mail-routes.js';

/**
 * Imports every active mailbox of the tenant and processes what is stored (also mails left by
 * a crash). Processing runs beside the import: each fetched chunk commits and is parsed and
 * settled while the next chunk is fetched.
 */
export async function runTenantImport(services: Services, settlement: SettlementContext, tenantId: number, options: { mailboxId?: number; signal?: AbortSignal; pool?: () => ParserPool; skip?: (mailboxId: number) => Promise<boolean> } = {}): Promise<{ stored: number; processed: number }> {
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
      if (await options.skip?.(row.id)) continue;
      const full = (await store.get(row.id))!;
      try {
        const result = await importMailbox(services, store.connection(full), { signal: options.signal, onCommitted });
        stored += result.stored;
        if (result.fetched) services.log.info('helpdesk mailbox imported', { tenantId, mailbox: row.id, fetched: result.fetched, stored: result.stored });
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

/** The lease under which one instance of several watches a mailbox. */
export function watcherLeaseKey(tenantId: number, mailboxId: number): string {
  return `helpdesk.imap:${tenantId}:${mailboxId}`;
}

/**
 * Keeps one IDLE connection per active mailbox of tenants that have the helpdesk on, and runs
 * the import when the server announces new mail (and on every reload of the list, in case an
 * announcement was missed). Across instances a mailbox is watched by one: the one holding its
 * lease, renewed every third of the lease's length; when the holder dies, another takes it over
 * once the lease has expired. Mailboxes without IDLE are left to the polling job. The list of
 * mailboxes is reloaded every two lease lengths (a minute by default).
 */
function idleWatcher(settlement: SettlementContext, pool: () => ParserPool) {
  return {
    id: 'imap-idle',
    async start({ services, signal, leases }: WorkerContext) {
      const tickMs = Math.max(20, Math.floor(leases.ttlMs / 3));
      const refreshMs = leases.ttlMs * 2;
      interface Wanted { tenantId: number; mailboxId: number; lease: string; connection: MailboxConnection }
      // Keyed by the connection settings: a changed password or folder makes a new watcher.
      let wanted = new Map<string, Wanted>();
      let refreshedAt = -Infinity;
      const watching = new Map<string, { client: ImapFlow; lease: string }>();
      // Mailboxes without IDLE or unreachable: not tried again before the next reload.
      const skipped = new Set<string>();
      const running = new Map<number, Promise<unknown>>();
      const trigger = (tenantId: number, mailboxId: number) => {
        if (signal.aborted || running.has(mailboxId)) return;
        const work = runTenantImport(services, settlement, tenantId, { mailboxId, signal, pool }).catch((error: unknown) => services.log.warn('helpdesk idle import failed', { error: String(error) }))
          .finally(() => running.delete(mailboxId));
        running.set(mailboxId, work);
      };
      async function reload(): Promise<void> {
        const snapshot = await services.tenants.snapshot();
        const next = new Map<string, Wanted>();
        for (const tenant of snapshot.byId.values()) {
          if (!snapshot.enabledPlugins.get(tenant.id)?.has('helpdesk')) continue;
          const store = createMailboxStore(services.db, tenant.id, createSecretBox(services.config.secret));
          for (const row of await store.list()) {
            if (!row.active) continue;
            const full = (await store.get(row.id))!;
            const key = `${tenant.id}:${row.id}:${full.imap_host}:${full.imap_port}:${full.imap_user}:${full.imap_folder}:${full.imap_password}`;
            next.set(key, { tenantId: tenant.id, mailboxId: row.id, lease: watcherLeaseKey(tenant.id, row.id), connection: store.connection(full) });
          }
        }
        wanted = next;
        skipped.clear();
        services.log.debug('helpdesk imap watcher reloaded', { mailboxes: wanted.size, watching: watching.size });
        // What arrived while nobody listened (a missed announcement, a lease changing hands).
        for (const [key, item] of wanted) if (watching.has(key)) trigger(item.tenantId, item.mailboxId);
      }
      async function unwatch(key: string): Promise<void> {
        const held = watching.get(key);
        if (!held) return;
        watching.delete(key);
        held.client.close();
        await leases.release(held.lease);
      }
      async function watch(key: string, item: Wanted): Promise<void> {
        const client = imapClient(item.connection);
        client.on('error', () => {});
        client.on('close', () => { if (watching.get(key)?.client === client) watching.delete(key); });
        client.on('exists', () => trigger(item.tenantId, item.mailboxId));
        try {
          await client.connect();
          if (!client.capabilities.has('IDLE')) {
            await client.logout();
            skipped.add(key);
            await leases.release(item.lease);
            return;
          }
          await client.mailboxOpen(item.connection.folder, { readOnly: true });
          watching.set(key, { client, lease: item.lease });
          trigger(item.tenantId, item.mailboxId);
          void client.idle().catch(() => {});
        } catch {
          client.close();
          skipped.add(key);
          await leases.release(item.lease);
        }
      }
      async function tick(): Promise<void> {
        if (Date.now() - refreshedAt >= refreshMs) {
          await reload();
          refreshedAt = Date.now();
        }
        for (const key of [...watching.keys()]) if (!wanted.has(key)) await unwatch(key);
        for (const [key, item] of wanted) {
          if (signal.aborted) return;
          if (watching.has(key)) {
            if (await leases.renew(item.lease)) continue;
            // Stalled past the lease: another instance watches it now.
            services.log.warn('helpdesk imap watcher lost its lease', { tenantId: item.tenantId, mailbox: item.mailboxId });
            const held = watching.get(key);
            watching.delete(key);
            held?.client.close();
            continue;
          }
          if (skipped.has(key) || !(await leases.acquire(item.lease))) continue;
          await watch(key, item);
        }
      }
      const loop = async () => {
        while (!signal.aborted) {
          await tick().catch((error: unknown) => services.log.warn('helpdesk idle watcher', { error: String(error) }));
          await new Promise((resolve) => { const timer = setTimeout(resolve, tickMs); signal.addEventListener('abort', () => { clearTimeout(timer); resolve(undefined); }, { once: true }); });
        }
      };
      const looping = loop();
      return {
        async stop() {
          await looping;
          await Promise.all(running.values());
          // Released, not left to expire: another instance takes the mailboxes over at once.
          for (const key of [...watching.keys()]) await unwatch(key).catch(() => {});
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
      const { leases, tenantId } = ctx;
      // A mailbox an IDLE watcher holds (on any instance) is that watcher's to import: fetched once.
      const watched = leases ? async (mailboxId: number) => (await leases.holder(watcherLeaseKey(tenantId, mailboxId))) !== undefined : undefined;
      await runTenantImport(ctx.services, settlement, tenantId, { pool, ...(watched ? { skip: watched } : {}) });
    },
  });
  api.worker(idleWatcher(settlement, pool));
  for (const command of mailboxCommands()) api.cli(command);
  api.nav({ id: 'mails', label: 'helpdesk.nav.mails', href: '/p/helpdesk/mails', permission: 'helpdesk.mails', order: 30, primary: true });
  api.routes((app) => mailRoutes(app, settlement));
  api.provide(ARTICLE_VIEW_POINT, mailArticleView);
  // The composer offers CC/BCC on the tickets whose replies go out by mail.
  api.provide(REPLY_MAIL_POINT, replyMailChannel);
}
