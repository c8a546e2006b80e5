import { createRequire } from 'node:module';
import { Marked, type Token, type Tokens } from 'marked';
import type SanitizeHtml from 'sanitize-html';

// The reply composer's markdown (issue 18 point 3): what an agent writes becomes safe HTML for the ticket page and
// the mail's HTML part, and readable plain text for the mail's text part and the search index.

const require = createRequire(import.meta.url);
let sanitizer: typeof SanitizeHtml | undefined;
const loadSanitizer = (): typeof SanitizeHtml => (sanitizer ??= require('sanitize-html') as typeof SanitizeHtml);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Raw HTML typed into the composer is text, never markup; line breaks count as in a mail. */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    // Images would load from anywhere when the customer opens the mail: a link to them instead.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const SANITIZE: SanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
    'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
  },
};

/** Markdown as HTML that may stand in our pages and mails: only formatting tags, links to http(s), mailto and tel. */
export function markdownToHtml(source: string): string {
  const html = markdown.parse(source.replace(/\r\n?/g, '\n')) as string;
  return loadSanitizer()(html, SANITIZE).trim();
}

function inline(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'link': {
        const link = token as Tokens.Link;
        const text = inline(link.tokens);
        const target = link.href.replace(/^mailto:/i, '');
        // A link the HTML drops (javascript:, data:…) is only its text here too.
        if (!/^(https?:|mailto:|tel:)/i.test(link.href)) out += text;
        else out += text && text !== target && text !== link.href ? `${text} (${link.href})` : link.href;
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        out += image.text ? `${image.text} (${image.href})` : image.href;
        break;
      }
      case 'br':
        out += '\n';
        break;
      case 'codespan':
      case 'escape':
        out += decodeEntities((token as Tokens.Codespan).text);
        break;
      case 'html':
        out += (token as Tokens.HTML).text;
        break;
      default:
        out += 'tokens' in token && token.tokens ? inline(token.tokens) : decodeEntities(String((token as Tokens.Text).text ?? token.raw));
    }
  }
  return out;
}

const decodeEntities = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);

const indent = (text: string, first: string, rest: string) => text.split('\n').map((line, i) => (i === 0 ? first : rest) + line).join('\n');

function blocks(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'def':
        break;
      case 'paragraph':
      case 'heading':
        out.push(inline((token as Tokens.Paragraph).tokens));
        break;
      case 'text':
        out.push('tokens' in token && token.tokens ? inline(token.tokens) : decodeEntities((token as Tokens.Text).text));
        break;
      case 'code':
        out.push(indent((token as Tokens.Code).text, '    ', '    '));
        break;
      case 'blockquote':
        out.push(blocks((token as Tokens.Blockquote).tokens).join('\n\n').split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n'));
        break;
      case 'hr':
        out.push('----');
        break;
      case 'list': {
        const list = token as Tokens.List;
        const start = typeof list.start === 'number' ? list.start : 1;
        const items = list.items.map((item, i) => {
          const marker = list.ordered ? `${start + i}. ` : '- ';
          const body = blocks(item.tokens).join(item.loose ? '\n\n' : '\n');
          return indent(body, marker, ' '.repeat(marker.length));
        });
        out.push(items.join(list.loose ? '\n\n' : '\n'));
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
        out.push([row(table.header), ...table.rows.map(row)].join('\n'));
        break;
      }
      default:
        out.push('tokens' in token && token.tokens ? inline(token.tokens) : token.raw.trim());
    }
  }
  return out;
}

/** Markdown as a mail's plain text part: no markup left, lists as "- " and "1. ", links as "text (url)", quotes as "> ". */
export function markdownToText(source: string): string {
  return blocks(markdown.lexer(source.replace(/\r\n?/g, '\n'))).join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Both renderings of what an agent wrote. */
export function renderMarkdown(source: string): { html: string; text: string } {
  return { html: markdownToHtml(source), text: markdownToText(source) };
}

/** A message as a markdown quote under a header line ("On …, … wrote:"): every line "> ", blank lines kept as ">". */
export function markdownQuote(header: string, text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n').map((line) => (line.trim() ? `> ${line}` : '>'));
  return `${header}\n${lines.join('\n')}\n\n`;
}
