import { createSecretBox as coreSecretBox, type SecretBox } from '../../../core/plugin-api.js';

export { SecretBoxError, type SecretBox } from '../../../core/plugin-api.js';

/**
 * Mailbox credentials at rest: core's secret box (core/auth/secret-box.ts) with the salt, purpose and `v1:` format
 * the helpdesk has sealed them with from the start, so credentials stored before the fold still open.
 */
export function createSecretBox(instanceSecret: string): SecretBox {
  return coreSecretBox(instanceSecret, { salt: 'tresen-helpdesk', purpose: 'mailbox-credentials', prefix: 'v1:' });
}
