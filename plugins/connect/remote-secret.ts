import { createSecretBox, SecretBoxError } from '../../core/plugin-api.js';

/** A sealed value that no longer opens: the instance secret changed, or the row was altered or moved. */
export { SecretBoxError as RemoteSecretError };

/**
 * A remote session's password at rest: core's secret box (core/auth/secret-box.ts) with connect's own salt and
 * purpose, the `r1:` format, and the tenant and ticket as additional data, so a sealed value copied to another
 * ticket's row does not open. The parameters are the ones used before the fold, so stored passwords still open.
 */
export function remoteSecretBox(instanceSecret: string) {
  if (instanceSecret.length < 16) throw new SecretBoxError('no instance secret: remote session passwords cannot be sealed');
  const box = createSecretBox(instanceSecret, { salt: 'tresen-connect', purpose: 'connect-remote-sessions', prefix: 'r1:' });
  const context = (tenantId: number, ticketId: number) => `connect-remote:${tenantId}:${ticketId}`;
  return {
    seal: (plain: string, tenantId: number, ticketId: number): string => box.seal(plain, context(tenantId, ticketId)),
    open: (sealed: string, tenantId: number, ticketId: number): string => box.open(sealed, context(tenantId, ticketId)),
  };
}
