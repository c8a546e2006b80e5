/** What `npm run seed:load` creates and `npm run bench` signs in with. */
export const LOAD_TENANT = 'load';
export const LOAD_PASSWORD = 'load-test password';
export const LOAD_AGENT_EMAIL = 'agent4@load.test';
/** A supervisor of the load tenant (the seed makes agents 2 and 3 supervisors): for pages agents may not open. */
export const LOAD_SUPERVISOR_EMAIL = 'agent2@load.test';

/** Written by the seed into DATA_DIR: what the bench scenarios need from the seeded data. */
export const LOAD_FIXTURE_FILE = 'load-fixture.json';

export interface LoadFixture {
  tenant: string;
  tickets: number;
  seededAt: string;
  seedSeconds: number;
  /** Bearer token of the load agent, for the API scenario. */
  apiToken: string;
  /** A recent open ticket of the load agent with full correspondence. */
  ticketNumber: string;
  ticketArticles: number;
  /** A word in thousands of tickets and one in a few dozen, with their hit counts at seed time. */
  commonWord: string;
  commonHits: number;
  rareWord: string;
  rareHits: number;
  /** Set by knowledge-ticket-entries.ts: the showcase ticket's id (the suggestion panel's address) and the entries added. */
  ticketId?: number;
  knowledgeEntries?: number;
}
