import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Mailbox credentials at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the instance
 * secret, so a database dump alone does not reveal them. Stored as `v1:<base64 iv|tag|ciphertext>`.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export class SecretBoxError extends Error {}

export function createSecretBox(instanceSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, 'tresen-helpdesk', 'mailbox-credentials', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1:')) throw new SecretBoxError('unknown credential format');
      const bytes = Buffer.from(sealed.slice(3), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // A changed instance secret, or a tampered value: the operator must enter the password again.
        throw new SecretBoxError('stored credentials cannot be decrypted (was the instance secret changed?)');
      }
    },
  };
}
