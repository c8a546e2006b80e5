import type { Insertable, Kysely, SelectQueryBuilder, UpdateQueryBuilder, DeleteQueryBuilder, InsertQueryBuilder, InsertResult, UpdateResult, DeleteResult } from 'kysely';
import type { DB, TenantTable } from '../db/schema.js';

type WithoutTenant<T> = Omit<T, 'tenant_id'>;

/**
 * The only way handlers reach tenant-owned tables: every query it builds is already
 * filtered by (or stamped with) the tenant, so forgetting the filter is impossible.
 */
export interface TenantScope {
  readonly tenantId: number;
  readonly db: Kysely<DB>;
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<DB, T, {}>;
  insertInto<T extends TenantTable>(table: T, values: WithoutTenant<Insertable<DB[T]>> | Array<WithoutTenant<Insertable<DB[T]>>>): InsertQueryBuilder<DB, T, InsertResult>;
  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<DB, T, T, UpdateResult>;
  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<DB, T, DeleteResult>;
  /** The same scope bound to a transaction. */
  withDb(db: Kysely<DB>): TenantScope;
}

export function tenantScope(db: Kysely<DB>, tenantId: number): TenantScope {
  // Kysely cannot type a column reference over a generic table name; the casts stay inside this file.
  const column = (table: string) => `${table}.tenant_id` as any;
  const untyped = db as Kysely<any>;
  return {
    tenantId,
    db,
    selectFrom: (table) => untyped.selectFrom(table as string).where(column(table), '=', tenantId) as any,
    insertInto: (table, values) => {
      const rows = (Array.isArray(values) ? values : [values]).map((row) => ({ ...row, tenant_id: tenantId }));
      return db.insertInto(table).values(rows as any);
    },
    updateTable: (table) => untyped.updateTable(table as string).where(column(table), '=', tenantId) as any,
    deleteFrom: (table) => untyped.deleteFrom(table as string).where(column(table), '=', tenantId) as any,
    withDb: (other) => tenantScope(other, tenantId),
  };
}
