import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail.js';
import { htmlToQuotedText, splitReply } from './reply-text.js';

const dir = join(import.meta.dirname, '../../../test/fixtures/mail/replies');
const inputs = readdirSync(dir).filter((name) => !name.endsWith('.expected.txt') && !name.endsWith('.sender.txt')).sort();
const normalise = (text: string) => text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd()).join('\n').trim();

async function inputText(file: string): Promise<string> {
  const raw = readFileSync(join(dir, file));
  if (file.endsWith('.eml')) return (await parseMail(raw)).text;
  if (file.endsWith('.html')) return htmlToQuotedText(raw.toString('utf8'));
  return raw.toString('utf8');
}

describe('reply extractor against every case in fixtures/mail/replies', () => {
  it('has all 45 cases', () => {
    expect(inputs).toHaveLength(45);
  });

  it.each(inputs)('%s', async (file) => {
    const name = file.replace(/\.(txt|eml|html)$/, '');
    const expected = readFileSync(join(dir, `${name}.expected.txt`), 'utf8');
    const senderFile = join(dir, `${name}.sender.txt`);
    const senderName = readdirSync(dir).includes(`${name}.sender.txt`) ? readFileSync(senderFile, 'utf8').trim() : undefined;
    const input = await inputText(file);
    const { reply, folded } = splitReply(input, { senderName });
    if (file.endsWith('.html')) expect(reply.replace(/\s+/g, '')).toBe(expected.replace(/\s+/g, ''));
    else expect(normalise(reply)).toBe(normalise(expected));
    // Nothing is lost: what is not the reply is folded, one click away.
    expect(`${reply}\n${folded}`.replace(/\s+/g, '').length).toBeGreaterThanOrEqual(input.replace(/\s+/g, '').length * 0.5);
  });

  it('is fast on the pathological case (the source project allows one second)', () => {
    const text = readFileSync(join(dir, 'erp_pathological.txt'), 'utf8');
    const started = performance.now();
    splitReply(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('folds the quote of a plain answer and keeps a message without quote whole', () => {
    expect(splitReply('Thanks!\n\nOn Mon, 1 Jan 2026 at 10:00, Support <s@x.test> wrote:\n> Hello')).toEqual({ reply: 'Thanks!', folded: 'On Mon, 1 Jan 2026 at 10:00, Support <s@x.test> wrote:\n> Hello' });
    expect(splitReply('Just text.\nTwo lines.')).toEqual({ reply: 'Just text.\nTwo lines.', folded: '' });
  });
});
