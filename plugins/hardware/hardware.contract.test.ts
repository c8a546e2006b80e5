import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { portalPlugin } from '../portal/index.js';
import { hardwarePlugin } from './index.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts), with the portal it enhances.
describePluginContract(hardwarePlugin, [portalPlugin]);
