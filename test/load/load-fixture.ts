/** What `npm run seed:load` creates and `npm run bench` signs in with. */
export const LOAD_TENANT = 'load';
export const LOAD_PASSWORD = 'load-test password';
export const LOAD_AGENT_EMAIL = 'agent4@load.test';
