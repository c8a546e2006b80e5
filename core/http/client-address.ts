import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address (`TRUSTED_PROXIES`: addresses and CIDR ranges, e.g. a
 * reverse proxy on the same host or the load balancer's subnet). Forwarding headers from anyone else
 * are ignored: a client could write any address into them.
 */
export interface TrustedProxies {
  readonly entries: readonly string[];
  has(address: string): boolean;
}

/** An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`, as Node reports IPv4 peers on a dual-stack socket) as plain IPv4. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Parses a comma- or space-separated list of addresses and CIDR ranges (IPv4 and IPv6). A bad entry
 * throws naming it, so a typo stops the start instead of trusting nobody (or everybody).
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (!address || family === 0 || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has no valid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return {
    entries,
    has(address) {
      const candidate = plain(address);
      const family = isIP(candidate);
      return family !== 0 && list.check(candidate, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** The `for=` addresses of a `Forwarded` header (RFC 7239), in order, without ports and brackets. */
function forwardedFor(header: string): string[] {
  const found: string[] = [];
  for (const element of header.split(',')) {
    const match = /(?:^|;)\s*for\s*=\s*("?)([^";,]+)\1/i.exec(element.trim());
    if (!match) continue;
    let value = match[2]!.trim();
    if (value.startsWith('[')) value = value.slice(1, value.indexOf(']'));
    else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
    found.push(value);
  }
  return found;
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the forwarding
 * chain (`X-Forwarded-For`, else `Forwarded`) read from the right, skipping trusted proxies, up to the
 * first address nobody trusted wrote (what a client put further left is not believed). A chain of only
 * trusted proxies gives the leftmost; a malformed entry stops the walk at the last good address.
 */
export function clientAddress(socketAddress: string | undefined, headers: { get(name: string): string | null | undefined }, trusted: TrustedProxies): string {
  const peer = socketAddress ? plain(socketAddress) : 'unknown';
  if (trusted.entries.length === 0 || !trusted.has(peer)) return peer;
  const xff = headers.get('x-forwarded-for');
  const chain = xff ? xff.split(',').map((part) => part.trim()).filter(Boolean) : forwardedFor(headers.get('forwarded') ?? '');
  let address = peer;
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const hop = plain(chain[i]!);
    if (isIP(hop) === 0) break;
    address = hop;
    if (!trusted.has(hop)) break;
  }
  return address;
}
