import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from './html-safety.js';
import { noAutoReplyReason } from './loop-guard.js';
import { mailboxFromUrl } from './mailbox-store.js';
import { parseMail } from './parse-mail.js';
import { createSecretBox, SecretBoxError } from './secret-box.js';
import { cleanSubject, numberInSubject, taggedSubject } from './subject-tag.js';

const mime = join(import.meta.dirname, '../../../test/fixtures/mail/mime');
const human = { headers: {}, from: { address: 'alice@customer.test', name: 'Alice' }, report: null };

describe('loop guard', () => {
  it('answers a person, and names why it must not answer robots, lists and ourselves', () => {
    const own = new Set(['support@tresen.test']);
    expect(noAutoReplyReason(human, own)).toBeNull();
    expect(noAutoReplyReason({ ...human, headers: { 'auto-submitted': 'no' } }, own)).toBeNull();
    expect(noAutoReplyReason({ ...human, headers: { 'auto-submitted': 'auto-replied' } }, own)).toBe('auto-submitted');
    expect(noAutoReplyReason({ ...human, headers: { precedence: 'bulk' } }, own)).toBe('precedence');
    expect(noAutoReplyReason({ ...human, headers: { precedence: 'junk' } }, own)).toBe('precedence');
    expect(noAutoReplyReason({ ...human, headers: { precedence: 'list' } }, own)).toBe('precedence');
    expect(noAutoReplyReason({ ...human, headers: { 'x-loop': 'x' } }, own)).toBe('x-loop');
    expect(noAutoReplyReason({ ...human, headers: { 'x-auto-response-suppress': 'All' } }, own)).toBe('x-auto-response-suppress');
    expect(noAutoReplyReason({ ...human, headers: { 'list-id': '<l.example>' } }, own)).toBe('list');
    for (const address of ['mailer-daemon@x.test', 'postmaster@x.test', 'noreply@x.test', 'no-reply@x.test', 'do-not-reply@x.test']) {
      expect(noAutoReplyReason({ ...human, from: { address, name: '' } }, own)).toBe('system-sender');
    }
    expect(noAutoReplyReason({ ...human, from: { address: 'support@tresen.test', name: '' } }, own)).toBe('own-address');
  });

  it.each(['sisimai_rfc3834-01', 'sisimai_rfc3834-02', 'sisimai_rfc3834-04', 'sisimai_rfc3834-05', 'sisimai_rfc3834-06', 'mailparser_delivery-status', 'flanker_bounce-mailbox-full', 'sisimai_lhost-postfix-01'])('never answers the real-world robot mail %s', async (name) => {
    const parsed = await parseMail(readFileSync(join(mime, `${name}.eml`)));
    expect(noAutoReplyReason(parsed, new Set())).not.toBeNull();
  });
});

describe('subject tag', () => {
  it('finds, adds once and strips the ticket number with the default and a custom template', () => {
    expect(numberInSubject('Re: [#2026-000123] Printer', '[#{number}]')).toBe('2026-000123');
    expect(numberInSubject('AW: Printer', '[#{number}]')).toBeNull();
    expect(taggedSubject('Re: Printer', '2026-000123', '[#{number}]')).toBe('[#2026-000123] Re: Printer');
    expect(taggedSubject('[#2026-000123] Printer', '2026-000123', '[#{number}]')).toBe('[#2026-000123] Printer');
    expect(numberInSubject('Ticket#2026-000007: x', 'Ticket#{number}:')).toBe('2026-000007');
    expect(cleanSubject('AW: Re: [#2026-000123] Printer', '[#{number}]')).toBe('Printer');
  });
});

describe('mailbox credentials', () => {
  it('seals with AES-256-GCM under the instance secret: unreadable without it, tamper-evident', () => {
    const box = createSecretBox('instance-secret-instance-secret-1');
    const sealed = box.seal('p@ss wörd');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('p@ss');
    expect(box.open(sealed)).toBe('p@ss wörd');
    expect(box.seal('p@ss wörd')).not.toBe(sealed);
    expect(() => createSecretBox('another-secret-another-secret-22').open(sealed)).toThrow(SecretBoxError);
    const tampered = `v1:${Buffer.from(Buffer.from(sealed.slice(3), 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64')}`;
    expect(() => box.open(tampered)).toThrow(SecretBoxError);
  });

  it('reads the CLI URL form', () => {
    expect(mailboxFromUrl('imap://sup%40x:p%3Ass@mail.x.test:1143/Support?tls=none')).toEqual({ imap_host: 'mail.x.test', imap_port: 1143, imap_tls: 'none', imap_user: 'sup@x', imap_password: 'p:ss', imap_folder: 'Support' });
    expect(mailboxFromUrl('imaps://u:p@mail.x.test').imap_port).toBe(993);
    expect(mailboxFromUrl('imap://u:p@mail.x.test').imap_tls).toBe('starttls');
    expect(() => mailboxFromUrl('http://u:p@x')).toThrow();
    expect(() => mailboxFromUrl('imap://mail.x.test')).toThrow();
  });
});

describe('mail HTML sanitizer', () => {
  it('removes scripts, handlers, active URLs, forms and frames, keeps text, links and cid images', () => {
    const dirty = `<p onclick="x()">Hi<script>alert(1)</script></p><img src="cid:a1" onerror="alert(2)"><img src="javascript:alert(3)"><a href="javascript:alert(4)">j</a>
      <a href="https://ok.test">ok</a><iframe src="https://evil.test"></iframe><form action="https://evil.test"><input></form><svg><script>alert(5)</script></svg>
      <style>body{background:url(https://track.test)}</style><div style="background:url(https://track.test/x);color:red">c</div><img src="data:image/svg+xml;base64,PHN2Zz4=">`;
    const clean = sanitizeMailHtml(dirty);
    expect(clean).not.toMatch(/script|onerror|onclick|javascript:|iframe|<form|<input|<svg|<style|url\(|svg\+xml/i);
    expect(clean).toContain('src="cid:a1"');
    expect(clean).toContain('href="https://ok.test" target="_blank" rel="noopener noreferrer nofollow"');
    expect(clean).toContain('Hi');
  });
});
