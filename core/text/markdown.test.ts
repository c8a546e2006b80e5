import { describe, expect, it } from 'vitest';
import { markdownQuote, markdownToHtml, markdownToText, renderMarkdown } from './markdown.js';

describe('the reply composer\'s markdown', () => {
  it('renders formatting, lists, links, code and quotes as HTML', () => {
    const html = markdownToHtml('Hello **Carla**, *please*:\n\n- one\n- two\n\n1. first\n2. second\n\n[manual](https://example.com/m) `x`\n\n> quoted');
    expect(html).toContain('<strong>Carla</strong>');
    expect(html).toContain('<em>please</em>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>/);
    expect(html).toContain('<a href="https://example.com/m" target="_blank" rel="noopener noreferrer nofollow">manual</a>');
    expect(html).toContain('<code>x</code>');
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
  });

  it('strips scripts, event handlers and javascript: links, whichever way they are typed', () => {
    const source = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '<a href="https://ok.test" onclick="alert(3)">a</a>',
      '[click](javascript:alert(4))',
      '[data](data:text/html;base64,PHNjcmlwdD4=)',
      '<svg onload=alert(5)></svg>',
      '![img](https://tracker.test/pixel.png)',
    ].join('\n\n');
    const html = markdownToHtml(source);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<[^>]+\son\w+\s*=/i);
    expect(html).not.toMatch(/href="\s*(javascript|data):/i);
    // What was typed as HTML shows as text.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // An image becomes a link: nothing loads when the customer opens the mail.
    expect(html).toContain('<a href="https://tracker.test/pixel.png"');
  });

  it('makes readable plain text: lists with "- " and numbers, links as text (url), quotes with "> ", no markup', () => {
    const text = markdownToText('Hello **Carla**,\n\n- restart the *printer*\n- read [the manual](https://example.com/m)\n\n3. three\n4. four\n\n> quoted\n> more\n\n[bad](javascript:alert(1)) <https://x.test>');
    expect(text).toBe([
      'Hello Carla,', '',
      '- restart the printer', '- read the manual (https://example.com/m)', '',
      '3. three', '4. four', '',
      '> quoted', '> more', '',
      'bad https://x.test',
    ].join('\n'));
  });

  it('keeps line breaks as the agent typed them, in both renderings', () => {
    const { html, text } = renderMarkdown('line one\nline two');
    expect(html).toBe('<p>line one<br />line two</p>');
    expect(text).toBe('line one\nline two');
  });

  it('quotes a message under its header line', () => {
    expect(markdownQuote('On 2 March 2026, Carla wrote:', 'Hi,\n\nthe printer.\n')).toBe('On 2 March 2026, Carla wrote:\n> Hi,\n>\n> the printer.\n\n');
  });
});
