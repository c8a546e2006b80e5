import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { knowledgePlugin } from '../knowledge/index.js';
import { portalPlugin } from '../portal/index.js';
import { ideasPlugin } from './index.js';

// The free tests every plugin gets, on SQLite and PostgreSQL (test/harness/plugin-contract.ts); knowledge is its dependency.
describePluginContract(ideasPlugin, [portalPlugin, knowledgePlugin]);
