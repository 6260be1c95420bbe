// HAProxy's hash functions (src/hash.c) and its avalanche modifier, bit-exact so that a key lands
// on the same server as it would behind HAProxy with the same servers and `hash-type`.
import type { HashFunction, HashTypeModel } from '../config/model';

export function sdbm(b: Uint8Array, len: number): number {
  let h = 0;
  for (let i = 0; i < len; i++) {
    // h * 65599 + c, kept exact in 32 bits (a plain multiply would lose low bits as a double)
    h = (Math.imul(h, 65599) + (b[i] as number)) >>> 0;
  }
  return h;
}

export function djb2(b: Uint8Array, len: number): number {
  let h = 5381;
  for (let i = 0; i < len; i++) h = (Math.imul(h, 33) + (b[i] as number)) >>> 0;
  return h;
}

export function wt6(b: Uint8Array, len: number): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < len; i++) {
    const c = b[i] as number;
    h0 = ~(h0 ^ c) >>> 0;
    h1 = ~(h1 + c) >>> 0;
    const t = ((h1 << step0) | (h1 >>> (32 - step0))) >>> 0;
    h1 = ((h0 << step1) | (h0 >>> (32 - step1))) >>> 0;
    h0 = t;
    const m = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = m & 0x1f;
    step1 = m >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

export function crc32(b: Uint8Array, len: number): number {
  let h = 0xffffffff;
  for (let i = 0; i < len; i++) {
    h ^= b[i] as number;
    for (let bit = 0; bit < 8; bit++) h = (h >>> 1) ^ (h & 1 ? 0xedb88320 : 0);
  }
  return ~h >>> 0;
}

/** `none`: the key already is the hash, written as a decimal integer (HAProxy read_int64, truncated to 32 bits). */
export function none(b: Uint8Array, len: number): number {
  let i = 0;
  let neg = false;
  if (len > 0 && b[0] === 0x2d) {
    neg = true;
    i = 1;
  }
  let v = 0n;
  for (; i < len && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39; i++) {
    v = v * 10n + BigInt((b[i] as number) - 0x30);
  }
  if (neg) v = -v;
  return Number(BigInt.asUintN(32, v));
}

/** Bob Jenkins' full-avalanche 32-bit integer hash (HAProxy full_hash), the `avalanche` modifier. */
export function fullHash(x: number): number {
  let a = x >>> 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return a;
}

const FUNCTIONS: Readonly<Record<HashFunction, (b: Uint8Array, len: number) => number>> = {
  sdbm,
  djb2,
  wt6,
  crc32,
  none,
};

// One scratch buffer reused by every key: hashing runs per request and must not allocate.
const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

function encode(key: string): number {
  let r = encoder.encodeInto(key, scratch);
  if (r.read < key.length) {
    scratch = new Uint8Array(key.length * 3);
    r = encoder.encodeInto(key, scratch);
  }
  return r.written;
}

export function hashBytes(fn: HashFunction, b: Uint8Array, len: number): number {
  return FUNCTIONS[fn](b, len);
}

/** hash of a string key as HAProxy's gen_hash computes it over the key's UTF-8 bytes */
export function hashString(type: HashTypeModel, key: string): number {
  // encode first: it may replace the scratch buffer
  const len = encode(key);
  const h = FUNCTIONS[type.fn](scratch, len);
  return type.avalanche ? fullHash(h) : h;
}

/**
 * `balance source`: HAProxy does not run the hash function over the address; it XORs its 32-bit
 * big-endian words (one for IPv4, four for IPv6). IPv4-mapped IPv6 addresses count as IPv4 so a
 * client hashes the same whichever listener family accepted it. Anything that is not an address
 * (e.g. a unix socket peer) falls back to the string hash.
 */
export function hashSource(type: HashTypeModel, ip: string): number {
  const h = addressWords(ip);
  if (h === null) return hashString(type, ip);
  return type.avalanche ? fullHash(h) : h;
}

function ipv4Word(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let w = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    w = (w * 256 + n) >>> 0;
  }
  return w;
}

function addressWords(ip: string): number | null {
  const zone = ip.indexOf('%');
  const s = zone >= 0 ? ip.slice(0, zone) : ip;
  if (!s.includes(':')) return ipv4Word(s);
  const lower = s.toLowerCase();
  if (lower.startsWith('::ffff:') && lower.includes('.')) return ipv4Word(lower.slice(7));
  const groups = ipv6Groups(lower);
  if (groups === null) return null;
  let h = 0;
  for (let i = 0; i < 8; i += 2) h = (h ^ (((groups[i] as number) << 16) | (groups[i + 1] as number))) >>> 0;
  return h;
}

function parseGroups(part: string, out: number[]): boolean {
  if (part === '') return true;
  for (const g of part.split(':')) {
    if (g.includes('.')) {
      const w = ipv4Word(g);
      if (w === null) return false;
      out.push(w >>> 16, w & 0xffff);
    } else {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return false;
      out.push(parseInt(g, 16));
    }
  }
  return true;
}

function ipv6Groups(s: string): number[] | null {
  const dbl = s.indexOf('::');
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl < 0) {
    if (!parseGroups(s, head) || head.length !== 8) return null;
    return head;
  }
  if (s.indexOf('::', dbl + 1) >= 0) return null;
  if (!parseGroups(s.slice(0, dbl), head) || !parseGroups(s.slice(dbl + 2), tail)) return null;
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return null;
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}
