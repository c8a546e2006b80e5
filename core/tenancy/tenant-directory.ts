import { sql, type Kysely } from 'kysely';
import type { DB, Tenant } from '../db/schema.js';

const REVISION_KEY = 'config_revision';

interface Snapshot {
  revision: string;
  bySlug: Map<string, Tenant>;
  byId: Map<number, Tenant>;
  byHost: Map<string, Tenant>;
  enabledPlugins: Map<number, ReadonlySet<string>>;
  pluginSettings: Map<string, Record<string, unknown>>;
}

/**
 * Tenants, host names and enabled plugins, cached in memory and reloaded when the
 * shared revision counter moves, so a change made by any instance (or the CLI)
 * takes effect on the next request without a restart.
 */
export class TenantDirectory {
  #snapshot: Snapshot | undefined;
  #loading: Promise<Snapshot> | undefined;
  #loadingRevision: string | undefined;

  constructor(private readonly db: Kysely<DB>) {}

  async #revision(db: Kysely<DB> = this.db): Promise<string> {
    const row = await db.selectFrom('meta').select('value').where('key', '=', REVISION_KEY).executeTakeFirst();
    return row?.value ?? '0';
  }

  async #load(revision: string, db: Kysely<DB> = this.db): Promise<Snapshot> {
    const [tenants, hosts, plugins] = await Promise.all([
      db.selectFrom('tenants').selectAll().execute(),
      db.selectFrom('tenant_hosts').selectAll().execute(),
      db.selectFrom('tenant_plugins').selectAll().execute(),
    ]);
    const byId = new Map(tenants.map((t) => [t.id, t]));
    const enabled = new Map<number, Set<string>>();
    const pluginSettings = new Map<string, Record<string, unknown>>();
    for (const row of plugins) {
      if (row.enabled) {
        if (!enabled.has(row.tenant_id)) enabled.set(row.tenant_id, new Set());
        enabled.get(row.tenant_id)!.add(row.plugin_id);
      }
      pluginSettings.set(`${row.tenant_id}:${row.plugin_id}`, JSON.parse(row.settings) as Record<string, unknown>);
    }
    return {
      revision,
      byId,
      bySlug: new Map(tenants.map((t) => [t.slug, t])),
      byHost: new Map(hosts.flatMap((h) => (byId.has(h.tenant_id) ? [[h.host, byId.get(h.tenant_id)!] as const] : []))),
      enabledPlugins: enabled,
      pluginSettings,
    };
  }

  async snapshot(): Promise<Snapshot> {
    const revision = await this.#revision();
    if (this.#snapshot?.revision === revision) return this.#snapshot;
    // One reload at a time for a given revision, however many requests arrive together.
    if (!this.#loading || this.#loadingRevision !== revision) {
      this.#loadingRevision = revision;
      this.#loading = this.#load(revision).then((snapshot) => {
        this.#snapshot = snapshot;
        return snapshot;
      }).finally(() => {
        this.#loading = undefined;
      });
    }
    return this.#loading;
  }

  /**
   * A request's tenant and its switched-on plugins from one snapshot: one revision read per
   * request instead of one per lookup. A mapped host name wins over the `/t/<slug>` prefix.
   */
  async resolve(host: string, slug: string | undefined): Promise<{ tenant: Tenant | undefined; byHost: boolean; enabledPlugins: ReadonlySet<string> }> {
    const snapshot = await this.snapshot();
    const mapped = snapshot.byHost.get(normaliseHost(host));
    const tenant = mapped ?? (slug === undefined ? undefined : snapshot.bySlug.get(slug));
    return { tenant, byHost: mapped !== undefined, enabledPlugins: (tenant && snapshot.enabledPlugins.get(tenant.id)) ?? new Set() };
  }

  async bySlug(slug: string): Promise<Tenant | undefined> {
    return (await this.snapshot()).bySlug.get(slug);
  }

  async byHost(host: string): Promise<Tenant | undefined> {
    return (await this.snapshot()).byHost.get(normaliseHost(host));
  }

  async byId(id: number): Promise<Tenant | undefined> {
    return (await this.snapshot()).byId.get(id);
  }

  /**
   * Pass `trx` when calling inside a transaction: SQLite has one connection, and a read
   * through the pool would wait for the transaction that is waiting for it.
   */
  async enabledPlugins(tenantId: number, trx?: Kysely<DB>): Promise<ReadonlySet<string>> {
    const snapshot = trx ? await this.#snapshotWithin(trx) : await this.snapshot();
    return snapshot.enabledPlugins.get(tenantId) ?? new Set();
  }

  async #snapshotWithin(trx: Kysely<DB>): Promise<Snapshot> {
    const revision = await this.#revision(trx);
    if (this.#snapshot?.revision === revision) return this.#snapshot;
    // Neither the shared in-flight load (it may wait for this transaction's connection) nor the
    // cache (the transaction may hold uncommitted switches and roll back).
    return this.#load(revision, trx);
  }

  async pluginSettings(tenantId: number, pluginId: string): Promise<Record<string, unknown>> {
    return (await this.snapshot()).pluginSettings.get(`${tenantId}:${pluginId}`) ?? {};
  }
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/:\d+$/, '');
}

/** Call inside the transaction that changed tenants, hosts or plugin switches. */
export async function bumpConfigRevision(db: Kysely<DB>): Promise<void> {
  await db.insertInto('meta').values({ key: REVISION_KEY, value: '1' })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`cast(cast(meta.value as integer) + 1 as text)` }))
    .execute();
}
