import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';
import type { Services } from '../http/app-env.js';
import type { Leases } from './leases.js';

/** What a job handler receives: the tenant it runs for (null for platform jobs), its payload and the database. */
export interface JobContext {
  tenantId: number | null;
  payload: unknown;
  db: Kysely<DB>;
  clock: Clock;
  /** Fires when the job's lease passed to another process (this one stalled past it): stop early. */
  signal?: AbortSignal;
  /** This process's named leases (set when the server runs the job), e.g. to see which mailbox a worker of any instance holds. */
  leases?: Leases;
  /** The process's services (mailer, files, hooks, catalog…): set for plugin jobs the server runs. */
  services?: Services;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;
