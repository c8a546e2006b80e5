/**
 * SIP addresses for `sip:` links (RFC 3261's URI, the common subset people have on a card): a user part
 * and a host, with "sip:" or "sips:" in front or not. Stored with the scheme, lower-case host, so a
 * link can be written as it is.
 */

/** The longest address accepted. */
export const SIP_INPUT_MAX = 200;

const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/; // unreserved and user-unreserved characters (no escapes)
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function isHost(host: string): boolean {
  if (IPV4.test(host)) return true;
  const labels = host.split('.');
  return host.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /[a-z]/.test(labels.at(-1)!);
}

/** The address as a `sip:`/`sips:` URI ("sip:anna@pbx.example.com:5061"), or null when it is none. */
export function toSipUri(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > SIP_INPUT_MAX || /\s/.test(text)) return null;
  const match = /^(?:(sips?):)?([^@]+)@([^@:;?]+)(?::(\d{1,5}))?$/i.exec(text);
  if (!match) return null;
  const [, scheme, user, rawHost, port] = match;
  const host = rawHost!.toLowerCase();
  if (!USER.test(user!) || !isHost(host)) return null;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return null;
  return `${(scheme ?? 'sip').toLowerCase()}:${user}@${host}${port ? `:${port}` : ''}`;
}

/** The address without its scheme, for reading ("anna@pbx.example.com"). */
export function sipDisplay(uri: string): string {
  return uri.replace(/^sips?:/i, '');
}
