// Value checks for the framing headers (Content-Length, Transfer-Encoding, Connection). They work
// on the already OWS-trimmed value string; these headers are rare enough per response that a
// charCodeAt loop costs nothing, and a regex would be the slower choice.

import { HTAB, SP } from './chars';

/** RFC 9110 §8.6 asks to guard against overflow; 15 digits stays below 2^53. */
const MAX_CL_DIGITS = 15;

/**
 * Parses `1*DIGIT` or a list of identical ones ("5, 5", RFC 9110 §8.6 allows collapsing them).
 * Returns -1 when invalid: empty, signs, hex, spaces inside, empty list members, or differing values.
 */
export function parseContentLength(v: string): number {
  let result = -1;
  let i = 0;
  const n = v.length;
  while (true) {
    let value = 0;
    let digits = 0;
    while (i < n) {
      const c = v.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      if (++digits > MAX_CL_DIGITS) return -1;
      value = value * 10 + (c - 0x30);
      i++;
    }
    if (digits === 0) return -1;
    if (result !== -1 && value !== result) return -1;
    result = value;
    while (i < n && isOwsCode(v.charCodeAt(i))) i++;
    if (i === n) return result;
    if (v.charCodeAt(i) !== 0x2c) return -1;
    i++;
    while (i < n && isOwsCode(v.charCodeAt(i))) i++;
  }
}

/**
 * sluice only accepts a lone `chunked` coding (any case). RFC 9112 allows other codings before it,
 * but the pipeline re-frames bodies and cannot carry a transfer-coding through, and every extra
 * form (`chunked, chunked`, `gzip, chunked`) is a known smuggling vector.
 */
export function isLoneChunked(v: string): boolean {
  return v.length === 7 && v.toLowerCase() === 'chunked';
}

/** case-insensitive token membership in a comma list (Connection: keep-alive, Close) */
export function hasToken(v: string, token: string): boolean {
  const n = v.length;
  let i = 0;
  while (i < n) {
    while (i < n && (isOwsCode(v.charCodeAt(i)) || v.charCodeAt(i) === 0x2c)) i++;
    const start = i;
    while (i < n && v.charCodeAt(i) !== 0x2c) i++;
    let end = i;
    while (end > start && isOwsCode(v.charCodeAt(end - 1))) end--;
    if (end - start === token.length && v.slice(start, end).toLowerCase() === token) return true;
  }
  return false;
}

function isOwsCode(c: number): boolean {
  return c === SP || c === HTAB;
}
