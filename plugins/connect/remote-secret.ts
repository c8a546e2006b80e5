import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'r1:';
const NONCE = 12;
const TAG = 16;

/** A sealed value that no longer opens: the instance secret changed, or the row was altered or moved. */
export class RemoteSecretError extends Error {}

/**
 * A remote session's password at rest: AES-256-GCM with a key derived by HKDF-SHA256 from the instance secret
 * (its own purpose, so no other sealed value of the instance shares the key), a random nonce per value, and the
 * tenant and ticket as additional data, so a sealed value copied to another ticket's row does not open.
 * Stored as `r1:` + base64(nonce | tag | ciphertext).
 */
export function remoteSecretBox(instanceSecret: string) {
  if (instanceSecret.length < 16) throw new RemoteSecretError('no instance secret: remote session passwords cannot be sealed');
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, 'tresen-connect', 'connect-remote-sessions', 32));
  const context = (tenantId: number, ticketId: number) => Buffer.from(`connect-remote:${tenantId}:${ticketId}`, 'utf8');
  return {
    seal(plain: string, tenantId: number, ticketId: number): string {
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(context(tenantId, ticketId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return VERSION + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed: string, tenantId: number, ticketId: number): string {
      if (!sealed.startsWith(VERSION)) throw new RemoteSecretError('unknown sealed format');
      const bytes = Buffer.from(sealed.slice(VERSION.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE));
        decipher.setAAD(context(tenantId, ticketId));
        decipher.setAuthTag(bytes.subarray(NONCE, NONCE + TAG));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE + TAG)), decipher.final()]).toString('utf8');
      } catch {
        throw new RemoteSecretError('the sealed password does not open (changed instance secret or altered row)');
      }
    },
  };
}
