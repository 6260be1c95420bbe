// IPv4/IPv6 address and CIDR parsing, and compiled matchers for `src` ACLs, `forwardfor except` and
// the like. Hand-written instead of node:net BlockList because BlockList needs an address family up
// front, has no IPv4-mapped IPv6 handling matching HAProxy's, and allocates on every check.
//
// Numbers: an IPv4 address is an unsigned 32-bit integer; an IPv6 address is four of them, most
// significant first. Parsers return -1 / false instead of throwing: addresses come from clients.

/** IPv4 network as an inclusive numeric range. */
interface V4Range {
  readonly lo: number;
  readonly hi: number;
}

/** IPv6 network: address words already masked, and the mask words. */
interface V6Net {
  readonly net: Uint32Array;
  readonly mask: Uint32Array;
}

/** A parsed address or CIDR pattern. */
export type IpPattern =
  { readonly family: 4; readonly range: V4Range } | { readonly family: 6; readonly net: V6Net };

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit integer, or -1. */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    let octet = 0;
    let digits = 0;
    while (i < end) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      octet = octet * 10 + c;
      if (++digits > 3) return -1;
      i++;
    }
    if (digits === 0 || octet > 255) return -1;
    value = value * 256 + octet;
    parts++;
    if (parts < 4) {
      if (i >= end || s.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

// 16-bit groups collected before and after the "::" gap; reused so parsing allocates nothing.
const groupScratch = new Uint16Array(8);

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses an IPv6 address (optionally bracketed, optionally with a %zone, optionally ending in a
 * dotted quad) into `out` (4 words). Returns false on malformed input, leaving `out` undefined.
 */
export function parseIPv6(s: string, out: Uint32Array): boolean {
  let start = 0;
  let end = s.length;
  if (end > 1 && s.charCodeAt(0) === 91 /* [ */ && s.charCodeAt(end - 1) === 93 /* ] */) {
    start = 1;
    end--;
  }
  const zone = s.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  if (end - start < 2) return false;

  const groups = groupScratch;
  let n = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === 58 /* : */) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    if (n >= 8) return false;
    let v = 0;
    let digits = 0;
    const groupStart = i;
    while (i < end) {
      const d = hexDigit(s.charCodeAt(i));
      if (d < 0) break;
      v = v * 16 + d;
      if (++digits > 4) return false;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46 /* . */) {
      // trailing dotted quad fills the last two groups
      if (n > 6) return false;
      const v4 = parseIPv4(s, groupStart, end);
      if (v4 < 0) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0) return false;
    groups[n++] = v;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === end) {
      return false; // trailing single colon
    }
  }
  if (gap < 0) {
    if (n !== 8) return false;
  } else {
    if (n > 7) return false;
    const tail = n - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k] as number;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let w = 0; w < 4; w++)
    out[w] = (((groups[2 * w] as number) << 16) | (groups[2 * w + 1] as number)) >>> 0;
  return true;
}

/** Value of an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4, or -1. */
function mappedV4(w: Uint32Array): number {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff ? (w[3] as number) : -1;
}

function v4MaskBits(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Parses "a.b.c.d", "a.b.c.d/len", "a.b.c.d/m.m.m.m", "v6", "v6/len"; null when malformed. */
export function parseIpPattern(pattern: string): IpPattern | null {
  const p = pattern.trim();
  const slash = p.indexOf('/');
  const addr = slash < 0 ? p : p.slice(0, slash);
  const len = slash < 0 ? null : p.slice(slash + 1);
  const v4 = parseIPv4(addr);
  if (v4 >= 0) {
    let mask = 0xffffffff;
    if (len !== null) {
      if (/^\d{1,2}$/.test(len) && Number(len) <= 32) mask = v4MaskBits(Number(len));
      else {
        const m = parseIPv4(len);
        // a dotted mask must be contiguous ones followed by zeros
        if (m < 0 || ((~m >>> 0) & ((~m >>> 0) + 1)) !== 0) return null;
        mask = m;
      }
    }
    const lo = (v4 & mask) >>> 0;
    return { family: 4, range: { lo, hi: (lo | (~mask >>> 0)) >>> 0 } };
  }
  const words = new Uint32Array(4);
  if (!parseIPv6(addr, words)) return null;
  let bits = 128;
  if (len !== null) {
    if (!/^\d{1,3}$/.test(len) || Number(len) > 128) return null;
    bits = Number(len);
  }
  const mask = new Uint32Array(4);
  for (let w = 0; w < 4; w++) {
    const b = Math.max(0, Math.min(32, bits - 32 * w));
    mask[w] = v4MaskBits(b);
    words[w] = ((words[w] as number) & (mask[w] as number)) >>> 0;
  }
  // An IPv4-mapped pattern (::ffff:a.b.c.d/len>=96) is an IPv4 pattern in disguise.
  if (bits >= 96 && mappedV4(words) >= 0) {
    const m = mask[3] as number;
    const lo = words[3] as number;
    return { family: 4, range: { lo, hi: (lo | (~m >>> 0)) >>> 0 } };
  }
  return { family: 6, net: { net: words, mask } };
}

/** Error text for a pattern that is not an address or CIDR, else null (for the config compiler). */
export function validateIpPattern(pattern: string): string | null {
  return parseIpPattern(pattern) === null
    ? `'${pattern}' is not a valid IPv4 or IPv6 address or network`
    : null;
}

/** True when `addr` is a syntactically valid IPv4 or IPv6 address (no prefix length). */
export function isIpAddress(addr: string): boolean {
  return parseIPv4(addr) >= 0 || parseIPv6(addr, scratch);
}

/** Strips the IPv4-mapped IPv6 prefix: "::ffff:1.2.3.4" → "1.2.3.4"; other input unchanged. */
export function normalizeAddress(addr: string): string {
  if (addr.length > 7 && addr.charCodeAt(0) === 58 && addr.slice(0, 7).toLowerCase() === '::ffff:') {
    const rest = addr.slice(7);
    if (parseIPv4(rest) >= 0) return rest;
  }
  return addr;
}

// Reused by the matchers: one request is matched at a time per worker, so no allocation per call.
const scratch = new Uint32Array(4);

/** Sorts and merges IPv4 ranges so matching is a binary search over disjoint intervals. */
function mergeRanges(ranges: V4Range[]): { lo: Float64Array; hi: Float64Array } {
  ranges.sort((a, b) => a.lo - b.lo);
  const merged: V4Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.lo <= last.hi + 1) {
      if (r.hi > last.hi) merged[merged.length - 1] = { lo: last.lo, hi: r.hi };
    } else merged.push(r);
  }
  return { lo: Float64Array.from(merged, (r) => r.lo), hi: Float64Array.from(merged, (r) => r.hi) };
}

function inRanges(lo: Float64Array, hi: Float64Array, v: number): boolean {
  let a = 0;
  let b = lo.length - 1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    if (v < (lo[mid] as number)) b = mid - 1;
    else if (v > (hi[mid] as number)) a = mid + 1;
    else return true;
  }
  return false;
}

function inV6(nets: readonly V6Net[], w: Uint32Array): boolean {
  for (const { net, mask } of nets) {
    if (
      ((w[0] as number) & (mask[0] as number)) >>> 0 === net[0] &&
      ((w[1] as number) & (mask[1] as number)) >>> 0 === net[1] &&
      ((w[2] as number) & (mask[2] as number)) >>> 0 === net[2] &&
      ((w[3] as number) & (mask[3] as number)) >>> 0 === net[3]
    )
      return true;
  }
  return false;
}

/**
 * Compiles address/CIDR patterns into a predicate. IPv4 patterns also match IPv4-mapped IPv6
 * addresses, and IPv6 patterns match IPv4 addresses through their mapped form (as HAProxy does).
 * Malformed patterns never match (the config compiler rejects them with validateIpPattern);
 * malformed addresses return false.
 */
export function compileIpMatcher(patterns: readonly string[]): (addr: string) => boolean {
  const v4: V4Range[] = [];
  const v6: V6Net[] = [];
  for (const p of patterns) {
    const parsed = parseIpPattern(p);
    if (parsed === null) continue;
    if (parsed.family === 4) v4.push(parsed.range);
    else v6.push(parsed.net);
  }
  if (v4.length === 0 && v6.length === 0) return () => false;
  const { lo, hi } = mergeRanges(v4);
  const hasV6 = v6.length > 0;
  return (addr: string): boolean => {
    const a4 = parseIPv4(addr);
    if (a4 >= 0) {
      if (inRanges(lo, hi, a4)) return true;
      if (!hasV6) return false;
      scratch[0] = 0;
      scratch[1] = 0;
      scratch[2] = 0xffff;
      scratch[3] = a4;
      return inV6(v6, scratch);
    }
    if (!parseIPv6(addr, scratch)) return false;
    const m = mappedV4(scratch);
    if (m >= 0 && inRanges(lo, hi, m)) return true;
    return hasV6 && inV6(v6, scratch);
  };
}
