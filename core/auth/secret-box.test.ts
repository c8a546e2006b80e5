import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const SECRET = 'an instance secret written before the fold';
// Sealed by the code each plugin had before the fold (plugins/helpdesk/mail/secret-box.ts and
// plugins/connect/remote-secret.ts at d78cd55, each with its own HKDF call), with SECRET as the instance secret.
const OLD_MAILBOX = 'v1:UtFZhQ+S1+c50VXfc1Czvd9PTo0ta0iwQ95mQpThPUovJ3DUEttisNvIMI7f';
const OLD_REMOTE = 'r1:Q25g12aL083BeAqZGio6q3bwaLwYTy2XCpCzdzRcKLQwvssZhGTeLHl4';

describe('secret box', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const box = createSecretBox(SECRET, { purpose: 'test-purpose' });
    const a = box.seal('hunter2 – ü');
    const b = box.seal('hunter2 – ü');
    expect(a.startsWith('v1:')).toBe(true);
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('hunter2 – ü');
    expect(box.open(b)).toBe('hunter2 – ü');
    expect(a).not.toContain('hunter2');
  });

  it('derives one key per purpose, salt and instance secret', () => {
    const sealed = createSecretBox(SECRET, { purpose: 'one' }).seal('x');
    expect(() => createSecretBox(SECRET, { purpose: 'two' }).open(sealed)).toThrow(SecretBoxError);
    expect(() => createSecretBox(SECRET, { purpose: 'one', salt: 'other' }).open(sealed)).toThrow(SecretBoxError);
    expect(() => createSecretBox(`${SECRET}!`, { purpose: 'one' }).open(sealed)).toThrow(SecretBoxError);
    expect(createSecretBox(SECRET, { purpose: 'one' }).open(sealed)).toBe('x');
  });

  it('binds a value to its context when one is given', () => {
    const box = createSecretBox(SECRET, { purpose: 'ctx' });
    const sealed = box.seal('pin', 'row:1');
    expect(box.open(sealed, 'row:1')).toBe('pin');
    expect(() => box.open(sealed, 'row:2')).toThrow(SecretBoxError);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
  });

  it('refuses altered, cut or foreign values and an empty purpose or secret', () => {
    const box = createSecretBox(SECRET, { purpose: 'p', prefix: 'z9:' });
    const sealed = box.seal('value');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open(`z9:${bytes.toString('base64')}`)).toThrow(SecretBoxError);
    expect(() => box.open('z9:AAAA')).toThrow(SecretBoxError);
    expect(() => box.open(`v1:${sealed.slice(3)}`)).toThrow(SecretBoxError);
    expect(() => createSecretBox(SECRET, { purpose: '' })).toThrow(SecretBoxError);
    expect(() => createSecretBox('', { purpose: 'p' })).toThrow(SecretBoxError);
  });

  it('opens values sealed before the fold with the parameters each plugin used (no AAD for mail, tenant:ticket for remote)', () => {
    const mailbox = createSecretBox(SECRET, { salt: 'tresen-helpdesk', purpose: 'mailbox-credentials', prefix: 'v1:' });
    const remote = createSecretBox(SECRET, { salt: 'tresen-connect', purpose: 'connect-remote-sessions', prefix: 'r1:' });
    expect(mailbox.open(OLD_MAILBOX)).toBe('mailbox pässword');
    expect(remote.open(OLD_REMOTE, 'connect-remote:7:42')).toBe('remote 123-456');
    expect(() => remote.open(OLD_REMOTE, 'connect-remote:7:43')).toThrow(SecretBoxError);
    // The two keys differ: neither opens the other's values.
    expect(() => createSecretBox(SECRET, { salt: 'tresen-connect', purpose: 'connect-remote-sessions', prefix: 'v1:' }).open(OLD_MAILBOX)).toThrow(SecretBoxError);
  });
});
