import { z } from 'zod';

const address = z.email();
export const MAX_COPY_ADDRESSES = 20;

export type AddressListResult = { ok: true; addresses: string[] } | { ok: false; reason: 'invalid'; value: string } | { ok: false; reason: 'tooMany'; max: number };

/**
 * The CC or BCC field of a reply: addresses separated by commas, semicolons or line breaks
 * ("Name <a@b>" is taken as a@b), each a valid e-mail address, at most MAX_COPY_ADDRESSES, no repeats.
 */
export function parseAddressList(value: string | undefined): AddressListResult {
  const parts = (value ?? '').split(/[,;\n]+/).map((part) => part.trim()).filter(Boolean);
  const addresses: string[] = [];
  for (const part of parts) {
    const bare = /<([^<>]+)>\s*$/.exec(part)?.[1]?.trim() ?? part;
    if (bare.length > 254 || /[\s\r\n]/.test(bare) || !address.safeParse(bare).success) return { ok: false, reason: 'invalid', value: part.slice(0, 80) };
    if (!addresses.some((known) => known.toLowerCase() === bare.toLowerCase())) addresses.push(bare);
  }
  if (addresses.length > MAX_COPY_ADDRESSES) return { ok: false, reason: 'tooMany', max: MAX_COPY_ADDRESSES };
  return { ok: true, addresses };
}
