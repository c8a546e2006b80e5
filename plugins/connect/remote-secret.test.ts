import { describe, expect, it } from 'vitest';
import { RemoteSecretError, remoteSecretBox } from './remote-secret.js';

const SECRET = 'an instance secret written before the fold';
/** Sealed by this file's own AES-GCM code before it moved into core (d78cd55): tenant 7, ticket 42. */
const OLD = 'r1:Q25g12aL083BeAqZGio6q3bwaLwYTy2XCpCzdzRcKLQwvssZhGTeLHl4';

describe('remote-session passwords at rest', () => {
  it('opens passwords stored before the secret box moved into core, only on their own ticket', () => {
    expect(remoteSecretBox(SECRET).open(OLD, 7, 42)).toBe('remote 123-456');
    expect(() => remoteSecretBox(SECRET).open(OLD, 7, 43)).toThrow(RemoteSecretError);
    expect(() => remoteSecretBox(SECRET).open(OLD, 8, 42)).toThrow(RemoteSecretError);
  });

  it('seals in the r1: format and needs a real instance secret', () => {
    const sealed = remoteSecretBox(SECRET).seal('one-time 991', 1, 2);
    expect(sealed.startsWith('r1:')).toBe(true);
    expect(remoteSecretBox(SECRET).open(sealed, 1, 2)).toBe('one-time 991');
    expect(() => remoteSecretBox('short')).toThrow(RemoteSecretError);
  });
});
