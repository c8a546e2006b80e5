import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts), with the portal it enhances.
describePluginContract(hardwarePlugin, [installedPlugin('portal')]);
