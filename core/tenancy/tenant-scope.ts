import type { Insertable, Kysely, SelectQueryBuilder, UpdateQueryBuilder, DeleteQueryBuilder, InsertQueryBuilder, InsertResult, UpdateResult, DeleteResult } from 'kysely';
import type { DB } from '../db/schema.js';

type WithoutTenant<T> = Omit<T, 'tenant_id'>;

/**
 * The tables of a database interface whose rows belong to a tenant: those with a numeric
 * `tenant_id` column. A nullable one (users, sessions, mail_outbox, …) counts too: its rows
 * without a tenant are the platform's and are never in a tenant's scope.
 */
export type TenantTable<D = DB> = {
  [K in keyof D & string]: D[K] extends { tenant_id: infer C } ? (number extends C ? K : never) : never;
}[keyof D & string];

/** `'table as alias'` for a tenant table, as Kysely takes it. */
type Aliased<D, T extends TenantTable<D>, A extends string> = `${T} as ${A}`;

/**
 * The only way handlers reach tenant-owned tables: every query it builds is already
 * filtered by (or stamped with) the tenant, so forgetting the filter is impossible.
 * `D` is the database interface: the core's `DB`, or a plugin's that extends it with its own
 * tables (see pluginScope), so a plugin's tables are scoped the same way.
 */
export interface TenantScope<D extends DB = DB> {
  readonly tenantId: number;
  /** The unscoped handle (with the plugin's tables when D has them): for tables without a tenant. */
  readonly db: Kysely<D>;
  selectFrom<T extends TenantTable<D>>(table: T): SelectQueryBuilder<D, T, {}>;
  selectFrom<T extends TenantTable<D>, A extends string>(table: Aliased<D, T, A>): SelectQueryBuilder<D & { [K in A]: D[T] }, A, {}>;
  insertInto<T extends TenantTable<D>>(table: T, values: WithoutTenant<Insertable<D[T]>> | Array<WithoutTenant<Insertable<D[T]>>>): InsertQueryBuilder<D, T, InsertResult>;
  updateTable<T extends TenantTable<D>>(table: T): UpdateQueryBuilder<D, T, T, UpdateResult>;
  deleteFrom<T extends TenantTable<D>>(table: T): DeleteQueryBuilder<D, T, DeleteResult>;
  /** The same scope bound to a transaction (of the core's handle or of this scope's). */
  withDb(db: Kysely<D> | Kysely<DB>): TenantScope<D>;
}

export function tenantScope<D extends DB = DB>(db: Kysely<D>, tenantId: number): TenantScope<D> {
  // Kysely cannot type a column reference over a generic table name; the casts stay inside this file.
  const column = (table: string) => `${table.split(/\s+as\s+/i).pop()!.trim()}.tenant_id` as any;
  const untyped = db as unknown as Kysely<any>;
  return {
    tenantId,
    db,
    selectFrom: ((table: string) => untyped.selectFrom(table).where(column(table), '=', tenantId)) as any,
    insertInto: (table, values) => {
      const rows = (Array.isArray(values) ? values : [values]).map((row) => ({ ...row, tenant_id: tenantId }));
      return untyped.insertInto(table as string).values(rows) as any;
    },
    updateTable: (table) => untyped.updateTable(table as string).where(column(table), '=', tenantId) as any,
    deleteFrom: (table) => untyped.deleteFrom(table as string).where(column(table), '=', tenantId) as any,
    withDb: (other) => tenantScope(other as Kysely<D>, tenantId),
  };
}

/**
 * The core's handle seen with a plugin's own tables: `D` is the plugin's database interface
 * (`interface HelpdeskDB extends DB { helpdesk_mails: … }`), its tables created by the plugin's
 * migrations. The one cast plugins need lives here.
 */
export function pluginDb<D extends DB>(db: Kysely<DB>): Kysely<D> {
  return db as unknown as Kysely<D>;
}

/** A tenant scope over the core's tables and a plugin's (`D`, as for pluginDb). */
export function pluginScope<D extends DB>(db: Kysely<DB>, tenantId: number): TenantScope<D> {
  return tenantScope(pluginDb<D>(db), tenantId);
}

/** The same tenant's scope seen with a plugin's tables (`D`, as for pluginDb). */
export function scopeFor<D extends DB>(scope: TenantScope): TenantScope<D> {
  return pluginScope<D>(scope.db, scope.tenantId);
}
