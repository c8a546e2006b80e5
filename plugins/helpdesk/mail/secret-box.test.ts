import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const SECRET = 'an instance secret written before the fold';
/** Sealed by this file's own AES-GCM code before it moved into core (d78cd55), with SECRET as the instance secret. */
const OLD = 'v1:UtFZhQ+S1+c50VXfc1Czvd9PTo0ta0iwQ95mQpThPUovJ3DUEttisNvIMI7f';

describe('mailbox credentials at rest', () => {
  it('opens credentials stored before the secret box moved into core', () => {
    expect(createSecretBox(SECRET).open(OLD)).toBe('mailbox pässword');
    expect(() => createSecretBox(`${SECRET}x`).open(OLD)).toThrow(SecretBoxError);
  });

  it('seals in the same v1: format', () => {
    const sealed = createSecretBox(SECRET).seal('imap secret');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(createSecretBox(SECRET).open(sealed)).toBe('imap secret');
  });
});
