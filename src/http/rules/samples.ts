// Sample extraction shared by ACLs and log-format: walking header values and query parameters
// without building intermediate arrays.

/**
 * Feeds every comma-separated value of every occurrence of header `name` (all headers when null)
 * to `test`, trimmed, until one passes. Commas inside double quotes do not split.
 */
export function forEachHeaderValue(
  h: readonly string[],
  name: string | null,
  test: (v: string) => boolean,
): boolean {
  for (let i = 0; i < h.length; i += 2) {
    if (name !== null && h[i] !== name) continue;
    const v = h[i + 1] as string;
    let start = 0;
    let quoted = false;
    for (let j = 0; j <= v.length; j++) {
      const c = j < v.length ? v.charCodeAt(j) : 44;
      if (c === 34 /* " */) quoted = !quoted;
      else if (c === 92 /* \ */ && quoted) j++;
      else if (c === 44 /* , */ && (!quoted || j === v.length)) {
        if (test(v.slice(start, j).trim())) return true;
        start = j + 1;
      }
    }
  }
  return false;
}

/**
 * Header sample as a fetch returns it outside ACLs: one comma-separated value, by occurrence.
 * occ > 0 counts from the first value, occ < 0 from the last (-1 = last, HAProxy's default).
 */
export function headerValue(h: readonly string[], name: string, occ = -1): string | undefined {
  if (occ === 0) return undefined;
  if (occ > 0) {
    let k = occ;
    let found: string | undefined;
    forEachHeaderValue(h, name, (v) => {
      if (--k === 0) {
        found = v;
        return true;
      }
      return false;
    });
    return found;
  }
  // negative occurrence: keep a window of the last |occ| values
  const want = -occ;
  const ring: string[] = [];
  forEachHeaderValue(h, name, (v) => {
    ring.push(v);
    if (ring.length > want) ring.shift();
    return false;
  });
  return ring.length === want ? ring[0] : undefined;
}

/**
 * Feeds the value of every `name=value` occurrence in the query string of `url` to `test` until
 * one passes. Values are not URL-decoded (as in HAProxy).
 */
export function forEachUrlParam(url: string, name: string, test: (v: string) => boolean): boolean {
  const q = url.indexOf('?');
  if (q < 0 || name.length === 0) return false;
  let i = q + 1;
  const n = url.length;
  while (i <= n) {
    let amp = url.indexOf('&', i);
    if (amp < 0) amp = n;
    if (amp - i > name.length && url.startsWith(name, i) && url.charCodeAt(i + name.length) === 61 /* = */) {
      if (test(url.slice(i + name.length + 1, amp))) return true;
    }
    i = amp + 1;
  }
  return false;
}

/** First value of a query parameter, or undefined. */
export function urlParam(url: string, name: string): string | undefined {
  let found: string | undefined;
  forEachUrlParam(url, name, (v) => {
    found = v;
    return true;
  });
  return found;
}
