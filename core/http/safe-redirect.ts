/**
 * The one gate for redirect targets that come from a request (a `next` parameter, a Referer): only a
 * path on this origin passes, as the URL parser reads it after its own clean-up (tabs and line breaks
 * stripped, backslashes read as slashes, dot segments resolved), so `/\t/evil.example`, `/\\evil`,
 * `//evil`, `/%09/evil` and the like never leave the site and no control character reaches a header.
 */
const PROBE_ORIGIN = 'http://redirect-probe.invalid';
// C0 controls, DEL, and the C1 range: none belongs in a path, and a line break in a header is a 500.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Leading slashes collapsed to one: `//evil.example/x` as a path would be read as another host. */
function collapseLeadingSlashes(path: string): string {
  return path.replace(/^\/{2,}/, '/');
}

/**
 * `target` as a same-origin path with its query and fragment (normalised by the URL parser), or
 * undefined when it is empty, not a path starting with a single `/`, holds a control character or a
 * backslash, or resolves to another origin.
 */
export function safeLocalPath(target: string | undefined | null): string | undefined {
  if (!target || target.length > 2000 || CONTROL.test(target) || target.includes('\\')) return undefined;
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(target, PROBE_ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== PROBE_ORIGIN) return undefined;
  return collapseLeadingSlashes(url.pathname) + url.search + url.hash;
}

/**
 * The path of an absolute URL (a Referer) when it is on `origin`, else undefined. A Referer of a page
 * whose path began with `//` (a 404 at `//evil.example/x`) comes back as `/evil.example/x`, never
 * as a protocol-relative address.
 */
export function sameOriginPath(absolute: string | undefined | null, origin: string): string | undefined {
  if (!absolute || absolute.length > 4000 || CONTROL.test(absolute)) return undefined;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return undefined;
  }
  if (url.origin !== origin) return undefined;
  return collapseLeadingSlashes(url.pathname) + url.search;
}
