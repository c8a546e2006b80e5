import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';
import type { Services } from '../http/app-env.js';

/** What a job handler receives: the tenant it runs for (null for platform jobs), its payload and the database. */
export interface JobContext {
  tenantId: number | null;
  payload: unknown;
  db: Kysely<DB>;
  clock: Clock;
  signal?: AbortSignal;
  /** The process's services (mailer, files, hooks, catalog…): set for plugin jobs the server runs. */
  services?: Services;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;
