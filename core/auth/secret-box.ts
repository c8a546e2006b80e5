import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (mailbox passwords, remote-session passwords, ...): AES-256-GCM under a key that HKDF-SHA256
 * derives from the instance secret, so a database dump alone reveals none of them. Each use names its own purpose
 * (the HKDF info), so no two kinds of sealed value share a key. A random 12-byte nonce per value; optionally a
 * context string as additional authenticated data (e.g. the tenant and row a value belongs to), so a sealed value
 * copied to another row does not open. Stored as `<prefix>` + base64(nonce | tag | ciphertext).
 */
export interface SecretBoxOptions {
  /** What the key is for (HKDF info), e.g. "mailbox-credentials"; one per kind of secret. */
  purpose: string;
  /** The HKDF salt; values sealed before this module existed keep theirs ("tresen-helpdesk", "tresen-connect"). */
  salt?: string;
  /** The format marker in front of a sealed value ("v1:"). */
  prefix?: string;
}

export interface SecretBox {
  /** Seals `plain`; `context`, when given, must be given again (the same) to open it. */
  seal(plain: string, context?: string): string;
  /** Opens a sealed value; throws SecretBoxError when it does not open. */
  open(sealed: string, context?: string): string;
}

/** A sealed value that does not open: another instance secret, another context, or an altered value. */
export class SecretBoxError extends Error {}

const NONCE = 12;
const TAG = 16;
const DEFAULT_SALT = 'tresen';
const DEFAULT_PREFIX = 'v1:';

export function createSecretBox(instanceSecret: string, options: SecretBoxOptions): SecretBox {
  const { purpose, salt = DEFAULT_SALT, prefix = DEFAULT_PREFIX } = options;
  if (!purpose) throw new SecretBoxError('a secret box needs a purpose');
  if (!instanceSecret) throw new SecretBoxError('no instance secret: nothing can be sealed');
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, salt, purpose, 32));
  return {
    seal(plain, context) {
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return prefix + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed, context) {
      if (!sealed.startsWith(prefix)) throw new SecretBoxError('unknown sealed format');
      const bytes = Buffer.from(sealed.slice(prefix.length), 'base64');
      if (bytes.length < NONCE + TAG) throw new SecretBoxError('the sealed value is cut short');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE));
        if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(NONCE, NONCE + TAG));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE + TAG)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed value does not open (changed instance secret, other context or altered value)');
      }
    },
  };
}
