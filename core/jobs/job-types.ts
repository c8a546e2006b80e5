import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';

/** What a job handler receives: the tenant it runs for (null for platform jobs), its payload and the database. */
export interface JobContext {
  tenantId: number | null;
  payload: unknown;
  db: Kysely<DB>;
  clock: Clock;
  signal?: AbortSignal;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;
