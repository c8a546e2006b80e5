import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { helpdeskPlugin } from './index.js';

describePluginContract(helpdeskPlugin);
