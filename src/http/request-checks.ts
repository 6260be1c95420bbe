// Checks sluice applies to every request after the front parsed it. uWS and node:http already
// reject most malformed syntax; these cover what they let through and what a front proxy must
// refuse so that no backend can read a message differently (../shared/corpus rules 2-9, 24, 27, 31,
// 36, 37). Policy: strict — where the RFC allows rejecting or tolerating, we reject.
import type { Exchange } from './exchange';

/** 0 when the request may proceed, else the status to answer (the connection is then closed). */
export function checkRequest(ex: Exchange, maxHeaders: number, bufsize: number): number {
  if (!isToken(ex.method)) return 400;
  const url = ex.url;
  if (url.length + ex.method.length + 11 > bufsize) return 414;
  if (!validTarget(url)) return 400;
  const h = ex.headers;
  if (h.length / 2 > maxHeaders) return 431;
  let size = 0;
  let hosts = 0;
  let cl: string | null = null;
  let te: string | null = null;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    const value = h[i + 1] as string;
    size += name.length + value.length + 4;
    if (!isToken(name) || !validValue(value)) return 400;
    if (name === 'host') {
      hosts++;
      if (!validHost(value)) return 400;
    } else if (name === 'content-length') {
      const v = normalizeContentLength(value);
      if (v === null || (cl !== null && cl !== v)) return 400;
      cl = v;
    } else if (name === 'transfer-encoding') {
      if (te !== null) return 400; // two TE headers: chunked applied twice or obfuscation
      te = value;
    }
  }
  if (size > bufsize) return 431;
  if (hosts > 1 || (hosts === 0 && ex.version === '1.1')) return 400;
  if (te !== null) {
    if (ex.version === '1.0') return 400;
    if (cl !== null) return 400;
    const t = te.trim().toLowerCase();
    if (t !== 'chunked') return t.endsWith('chunked') || t.startsWith('chunked') ? 400 : 501;
  }
  return 0;
}

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TCHAR[c] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = 1;
for (let c = 97; c <= 122; c++) TCHAR[c] = 1;

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** field-value: visible chars, SP, HTAB, obs-text; no CTLs (0x00-0x1F except HTAB) and no DEL */
function validValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** origin-form (or "*" for OPTIONS, checked loosely); no CTLs, spaces, '#', '\' or raw non-ASCII */
function validTarget(s: string): boolean {
  if (s.length === 0) return false;
  if (s === '*') return true;
  if (s.charCodeAt(0) !== 0x2f && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x23 || c === 0x5c) return false;
    if (c === 0x25) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
    }
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** `1*DIGIT` (at most 15 digits), or a list of identical such values; returns the value or null */
export function normalizeContentLength(v: string): string | null {
  let out: string | null = null;
  for (const part of v.split(',')) {
    const p = part.trim();
    if (!/^[0-9]{1,15}$/.test(p)) return null;
    const n = String(Number(p));
    if (out !== null && out !== n) return null;
    out = n;
  }
  return out;
}

/** uri-host [ ":" port ]: reg-name / IPv4 / [IPv6]; no userinfo, path, spaces */
function validHost(v: string): boolean {
  if (v.length === 0 || v.length > 255) return false;
  let host = v;
  if (v.charCodeAt(0) === 0x5b) {
    const end = v.indexOf(']');
    if (end < 0) return false;
    if (!/^[0-9a-fA-F:.]+$/.test(v.slice(1, end))) return false;
    host = '';
    const rest = v.slice(end + 1);
    if (rest.length > 0 && !/^:[0-9]{0,5}$/.test(rest)) return false;
    if (rest.length > 1 && Number(rest.slice(1)) > 65535) return false;
    return true;
  }
  const colon = v.indexOf(':');
  if (colon >= 0) {
    host = v.slice(0, colon);
    const port = v.slice(colon + 1);
    if (!/^[0-9]{0,5}$/.test(port) || (port.length > 0 && Number(port) > 65535)) return false;
  }
  return /^[a-zA-Z0-9._~!$&'()*+,;=%-]*$/.test(host);
}
