// A server process for the several-instances test: the real startServer with the helpdesk and the
// probe plugin, on the database the parent names, with short leases so that take-overs happen
// within the test. Prints one "listening <url>" line on stdout; logs JSON lines on stderr.
import { loadConfig } from '../../config/env.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { startServer } from '../../core/server.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { instanceProbePlugin } from './instance-probe-plugin.js';

const [databaseUrl, dataDir, leaseMs = '1000', jobMs = '2500'] = process.argv.slice(2);
if (!databaseUrl || !dataDir) throw new Error('usage: instance-child <database url> <data dir> [lease ms] [job ms]');
const config = {
  ...loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: '1', HOST: '127.0.0.1', LOG_LEVEL: 'debug', TRESEN_DEMO: '1', TRESEN_ADMIN_EMAIL: 'operator@instances.test', TRESEN_ADMIN_PASSWORD: 'operator-password', SECRET: 'instances-test-secret-0123456789abcdef' }),
  port: 0,
  scryptLogN: 10,
};
const registry = createRegistry([helpdeskPlugin, instanceProbePlugin(Number(jobMs))]);
const server = await startServer(config, registry, { announce: () => {}, jobLeaseMs: Number(leaseMs), workerLeaseMs: Number(leaseMs), jobPollMs: 50 });
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
