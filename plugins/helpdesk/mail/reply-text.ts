/**
 * Splits a mail's text into what the sender wrote now and what they quoted or signed, so the
 * ticket page can fold the rest away (one click shows it). Pure and linear: no regular
 * expression here backtracks over more than one line.
 */
export interface ReplySplit {
  /** The new text. */
  reply: string;
  /** Quoted earlier messages and the signature, in their original order ('' when none). */
  folded: string;
}

const QUOTE_HEADER_ONE_LINE: RegExp[] = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|urspr.ngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}\s*$/i,
  /^-{3,}\s*(forwarded message|weitergeleitete nachricht)\s*-{3,}/i,
  /^_{10,}\s*$/,
  /^\s*-{5,}\s*$/,
];
const WROTE_WORDS = '(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|написал|написала|napisał)';
const WROTE = new RegExp(`^(?:(?:on|am|le|el|il|op|em)\\b|\\d).{0,400}${WROTE_WORDS}\\s*:\\s*$`, 'iu');
const WROTE_ANYWHERE = new RegExp(`${WROTE_WORDS}\\s*:\\s*$`, 'iu');
const DATE_WROTE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}.{0,200}[<(@].{0,200}:\s*$/;
const FROM_FIELD = /^\*?\s*(from|von|de|da|van|от)\s*:/i;
const HEADER_FIELD = /^\*?\s*(from|von|de|da|van|от|sent|date|datum|gesendet|envoyé|enviado|to|an|à|para|subject|betreff|objet|asunto|cc|кому|тема|дата|отправлено)\s*:/i;
/** "Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <abc@example.com>:" (mail.ru, Yandex). */
const DATE_ADDRESS = /^.{0,60}\d{4}.{0,120}<[^<>\s]+@[^<>\s]+>\s*:\s*$/;

/** Mobile footers: short, no sentence punctuation ("Sent from my desk, is much easier…" is text). */
const SENT_FROM = /^(sent from (my|mail for|yahoo mail|outlook|samsung) [^,.;:!?]{1,40}|sent via [^,;:!?]{1,40}|von meinem [^,;:!?]{1,40} gesendet|gesendet von meinem [^,;:!?]{1,40}|get outlook for [^,;:!?]{1,30})$/i;
const CLOSING = /^(thanks|thank you|many thanks|regards|best|best regards|kind regards|cheers|sincerely|viele grüße|mit freundlichen grüßen|gruß|grüße)[,!.]?\s*$/i;

function isQuoteHeader(lines: string[], index: number): number {
  const line = lines[index]!.trim();
  if (!line) return 0;
  if (QUOTE_HEADER_ONE_LINE.some((re) => re.test(line))) return 1;
  if (WROTE.test(line) || (DATE_WROTE.test(line) && WROTE_ANYWHERE.test(line))) return 1;
  // "On <date>, <name>" broken over two or three lines before "wrote:".
  if (/^(on|am|le|el|\d)/i.test(line) && !/[.!?]$/.test(line)) {
    let joined = line;
    for (let next = index + 1; next < Math.min(lines.length, index + 3); next++) {
      const part = lines[next]!.trim();
      if (!part) break;
      joined += ` ${part}`;
      if (WROTE.test(joined)) return next - index + 1;
    }
  }
  if (DATE_ADDRESS.test(line)) return 1;
  // Outlook and webmail: a block of three header lines (one of them From:) in a row.
  if (HEADER_FIELD.test(line)) {
    let fields = 0;
    let from = false;
    for (let next = index; next < Math.min(lines.length, index + 6); next++) {
      const field = lines[next]!.trim();
      if (HEADER_FIELD.test(field)) { fields++; from ||= FROM_FIELD.test(field); }
    }
    if (fields >= 3 && from) return 1;
  }
  return 0;
}

/** The index of the first line of the quoted part, or lines.length. */
function quoteStart(lines: string[]): number {
  for (let index = 0; index < lines.length; index++) {
    if (isQuoteHeader(lines, index)) return index;
    const line = lines[index]!;
    if (/^\s*>/.test(line)) {
      // A quote block counts when only quotes, blanks or a signature follow it.
      let rest = index;
      while (rest < lines.length && (/^\s*>/.test(lines[rest]!) || !lines[rest]!.trim())) rest++;
      if (rest === lines.length || isTrailer(lines.slice(rest))) return index;
    }
  }
  return lines.length;
}

/** Lines after a quote that are only a signature or a mobile footer. */
function isTrailer(lines: string[]): boolean {
  const text = lines.filter((l) => l.trim());
  return text.length <= 4 && text.every((l) => SENT_FROM.test(l.trim()) || /^--\s*$/.test(l) || l.trim().length < 40);
}

function signatureStart(lines: string[], senderName?: string): number {
  // Last non-empty line first: mobile footers.
  let end = lines.length;
  while (end > 0 && !lines[end - 1]!.trim()) end--;
  if (end === 0) return 0;
  for (let index = 0; index < end; index++) {
    if (/^-- ?$/.test(lines[index]!) || /^--$/.test(lines[index]!.trim()) && index > 0) return index;
  }
  const last = lines[end - 1]!.trim();
  if (SENT_FROM.test(last) && !/^sent from (a|an|the)\b/i.test(last)) return signatureStart(lines.slice(0, end - 1), senderName) === end - 1 ? end - 1 : signatureStart(lines.slice(0, end - 1), senderName);
  // "-Name" closing line.
  for (let index = Math.max(0, end - 3); index < end; index++) {
    if (/^-\s?[A-Z][\w.'-]*(\s[A-Z][\w.'-]*){0,2}\s*$/.test(lines[index]!.trim()) && index > 0) return index;
  }
  // A closing block that starts with the sender's name (or their first name), after a blank line.
  if (senderName) {
    const names = senderName.toLowerCase().split(/\s+/).filter((n) => n.length > 1);
    for (let index = Math.max(1, end - 8); index < end; index++) {
      const line = lines[index]!.trim().toLowerCase();
      if (!names.some((n) => line.startsWith(n)) || line.length >= 60) continue;
      if (!lines[index - 1]!.trim()) return index;
      if (CLOSING.test(lines[index - 1]!.trim())) return index - 1;
    }
  }
  return end;
}

export function splitReply(text: string, options: { senderName?: string | undefined } = {}): ReplySplit {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  const quote = quoteStart(lines);
  const before = lines.slice(0, quote);
  const signature = signatureStart(before, options.senderName);
  const reply = before.slice(0, signature).join('\n').replace(/\s+$/, '');
  const folded = lines.slice(signature).join('\n').trim();
  if (!reply.trim()) {
    // Answered below the quote: the new text is what is neither quote header nor "> " line.
    const below = lines.filter((line, index) => !/^\s*>/.test(line) && !(index >= quote && isQuoteHeader(lines, index)));
    const text = below.join('\n').trim();
    if (text && quote < lines.length) return { reply: text, folded: lines.filter((line) => !below.includes(line)).join('\n').trim() };
    // Only a quote (e.g. a forward): everything stays visible.
    return { reply: normalised.trim(), folded: '' };
  }
  return { reply, folded };
}

/**
 * A rule (<hr>) followed by a From: header block separates the reply from the quote; the
 * block that holds the rule goes with the quote (as mail clients nest it).
 */
function cutAtSeparator(html: string): string {
  const rule = /<hr\b[^>]*>\s*(<[^>]+>\s*)*(from|von|de)\s*:/i.exec(html);
  if (!rule) return html;
  const before = html.slice(0, rule.index);
  const open = before.lastIndexOf('<div');
  const closeAfterOpen = open === -1 ? -1 : before.indexOf('</div', open);
  return open !== -1 && closeAfterOpen === -1 ? html.slice(0, open) : before;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', ndash: '–', mdash: '—', hellip: '…', copy: '©', reg: '®', euro: '€', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', Uuml: 'Ü', Ouml: 'Ö', Auml: 'Ä', eacute: 'é', egrave: 'è' };

/** Mail HTML as text for reply splitting: blocks become lines, blockquotes become "> " lines. */
export function htmlToQuotedText(html: string): string {
  const marked = cutAtSeparator(html)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<blockquote\b[^>]*>/gi, '\n\u0001\n').replace(/<\/blockquote\s*>/gi, '\n\u0002\n')
    .replace(/<div\b[^>]*class=["'][^"']*gmail_quote[^"']*["'][^>]*>/gi, '\n')
    .replace(/<(br|hr)\b[^>]*>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|ul|ol)\s*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity[0] === '#') {
        const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[entity] ?? whole;
    });
  const out: string[] = [];
  let depth = 0;
  for (const line of marked.split('\n')) {
    if (line.includes('\u0001')) { depth++; continue; }
    if (line.includes('\u0002')) { depth = Math.max(0, depth - 1); continue; }
    out.push(depth > 0 ? `> ${line}` : line.replace(/\u00a0/g, ' ').trimEnd());
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
