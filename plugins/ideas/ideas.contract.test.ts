import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { ideasPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts); knowledge is its dependency.
describePluginContract(ideasPlugin, [installedPlugin('portal'), installedPlugin('knowledge')]);
