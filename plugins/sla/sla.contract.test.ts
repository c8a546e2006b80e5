import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { helpdeskPlugin } from '../helpdesk/index.js';
import { slaPlugin } from './index.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts), with the helpdesk it depends on.
describePluginContract(slaPlugin, [helpdeskPlugin]);
