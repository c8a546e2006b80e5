import { describePluginContract } from '../../test/harness/plugin-contract.js';
import { portalPlugin } from './index.js';

describePluginContract(portalPlugin);
