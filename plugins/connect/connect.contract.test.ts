import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { connectPlugin } from './index.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts).
describePluginContract(connectPlugin);
