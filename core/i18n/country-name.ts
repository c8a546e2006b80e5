/** A country's name in the reader's language ("Deutschland", "Germany") from the runtime's Intl data; the code itself when it has none. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
