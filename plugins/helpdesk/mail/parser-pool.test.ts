import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createParserPool } from './parser-pool.js';

const dir = join(import.meta.dirname, '../../../test/fixtures/mail/mime');

describe('mail parsing in worker threads', () => {
  const pool = createParserPool({ size: 2, timeoutMs: 20_000 });
  afterAll(() => pool.close());

  it('parses every message in fixtures/mail/mime without error, quickly', async () => {
    const files = readdirSync(dir).filter((name) => name.endsWith('.eml')).sort();
    expect(files).toHaveLength(48);
    const started = performance.now();
    const results = await Promise.all(files.map(async (file) => ({ file, parsed: await pool.parse(readFileSync(join(dir, file))) })));
    expect(performance.now() - started).toBeLessThan(15_000);
    for (const { parsed } of results) {
      expect(typeof parsed.subject).toBe('string');
      expect(typeof parsed.text).toBe('string');
    }
    const byName = new Map(results.map((r) => [r.file, r.parsed]));
    expect(byName.get('flanker_long-header.eml')!.subject).toContain('Die heiße Zypernsonne quälte Max und Victoria');
    expect(byName.get('mailparser_nodemailer.eml')!.attachments.filter((a) => a.inline).map((a) => a.contentType)).toEqual(['image/png', 'image/gif']);
    expect(byName.get('mailparser_delivery-status.eml')!.report?.originalMessageId).toBe('<xxxxx@email.amazonses.com>');
    expect(byName.get('mail_attachment_with_quoted_filename.eml')!.attachments[0]!.filename).toBe('Eelanalüüsi päring.jpg');
  });

  it('gives a timed-out message up and keeps serving the next one', async () => {
    const slow = createParserPool({ size: 1, timeoutMs: 1 });
    await expect(slow.parse(readFileSync(join(dir, 'mailparser_htmllargecallstack.eml')))).rejects.toThrow(/longer than/);
    await slow.close();
    const parsed = await pool.parse(Buffer.from('From: a@b.test\r\nSubject: still here\r\n\r\nbody\r\n'));
    expect(parsed.subject).toBe('still here');
  });
});
