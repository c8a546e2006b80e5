import type { PluginDefinition } from '../core/plugin-host/define-plugin.js';
import { connectPlugin } from '../plugins/connect/index.js';
import { hardwarePlugin } from '../plugins/hardware/index.js';
import { helpdeskPlugin } from '../plugins/helpdesk/index.js';
import { ideasPlugin } from '../plugins/ideas/index.js';
import { knowledgePlugin } from '../plugins/knowledge/index.js';
import { portalPlugin } from '../plugins/portal/index.js';
import { slaPlugin } from '../plugins/sla/index.js';
import { surveyPlugin } from '../plugins/survey/index.js';

/**
 * The installed plugins, listed explicitly. The host validates ids and versions and
 * sorts them by their dependencies; which of them a tenant uses is switched per tenant.
 */
export const installedPlugins: readonly PluginDefinition[] = [helpdeskPlugin, portalPlugin, slaPlugin, hardwarePlugin, knowledgePlugin, surveyPlugin, ideasPlugin, connectPlugin];
