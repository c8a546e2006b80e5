import type { ParsedMail } from './parsed-mail.js';

const SYSTEM_SENDER = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)([+-].*)?@/i;

/**
 * Why we must not answer this mail automatically, or null when we may. Covers RFC 3834
 * (Auto-Submitted), Precedence bulk/list/junk, loop markers, Exchange's suppress header,
 * mailing lists, system senders and our own addresses (a loop through a forwarding rule).
 */
export function noAutoReplyReason(mail: Pick<ParsedMail, 'headers' | 'from' | 'report'>, ownAddresses: ReadonlySet<string>): string | null {
  const h = mail.headers;
  const autoSubmitted = h['auto-submitted']?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return 'auto-submitted';
  if (/\b(bulk|list|junk|auto_reply)\b/i.test(h.precedence ?? '')) return 'precedence';
  if (h['x-loop'] !== undefined || h['x-tresen-loop'] !== undefined) return 'x-loop';
  if (h['x-auto-response-suppress'] !== undefined && h['x-auto-response-suppress'].trim() !== '' && !/^none$/i.test(h['x-auto-response-suppress'].trim())) return 'x-auto-response-suppress';
  if (h['list-id'] !== undefined || h['list-unsubscribe'] !== undefined) return 'list';
  if (h['x-autoreply'] !== undefined || h['x-autorespond'] !== undefined) return 'auto-submitted';
  if (mail.report) return 'delivery-report';
  const from = mail.from?.address ?? '';
  if (!from) return 'no-sender';
  if (SYSTEM_SENDER.test(from)) return 'system-sender';
  if (h['return-path']?.trim() === '<>') return 'null-return-path';
  if (ownAddresses.has(from.toLowerCase())) return 'own-address';
  return null;
}
