// Checks sluice applies to every request after the front parsed it. uWS and node:http already
// reject most malformed syntax; these cover what they let through and what a front proxy must
// refuse so that no backend can read a message differently (../shared/corpus rules 2-9, 24, 27, 31,
// 36, 37). Policy: strict — where the RFC allows rejecting or tolerating, we reject.
import type { Exchange } from './exchange';
import { isFieldValue, isToken } from '../util/http-syntax';

/** 0 when the request may proceed, else the status to answer (the connection is then closed). */
export function checkRequest(ex: Exchange, maxHeaders: number, bufsize: number): number {
  if (!isToken(ex.method)) return 400;
  const url = ex.url;
  if (url.length + ex.method.length + 11 > bufsize) return 414;
  if (!validTarget(url, ex.method)) return 400;
  const h = ex.headers;
  if (h.length / 2 > maxHeaders) return 431;
  let size = 0;
  let hosts = 0;
  let cls = 0;
  let te: string | null = null;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    const value = h[i + 1] as string;
    size += name.length + value.length + 4;
    if (!isToken(name) || !isFieldValue(value)) return 400;
    if (name === 'host') {
      hosts++;
      if (!validHost(value)) return 400;
    } else if (name === 'content-length') {
      // strict: one header, one value (RFC 9110 §8.6 lets us reject "5, 5" and repeats)
      if (++cls > 1 || !/^[0-9]{1,15}$/.test(value.trim())) return 400;
    } else if (name === 'transfer-encoding') {
      if (te !== null) return 400; // two TE headers: chunked applied twice or obfuscation
      te = value;
    } else if (name === 'connection' && namesFraming(value)) {
      // hop-by-hop stripping would drop the field that frames or routes the request upstream
      return 400;
    }
  }
  if (size > bufsize) return 431;
  if (hosts > 1 || (hosts === 0 && ex.version === '1.1')) return 400;
  if (te !== null) {
    if (ex.version === '1.0' || cls > 0) return 400;
    return checkTransferEncoding(te);
  }
  return 0;
}

const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'compress', 'x-compress']);

/**
 * RFC 9112 §6.1/§6.3: chunked must be the final coding, applied once (else 400); a request whose
 * other codings we don't decode gets 501. Coding names are case-insensitive.
 */
function checkTransferEncoding(te: string): number {
  const parts = te.split(',');
  let chunked = 0;
  let unknown = false;
  for (const part of parts) {
    const c = part.trim().toLowerCase();
    if (!isToken(c)) return 400;
    if (c === 'chunked') chunked++;
    else if (!KNOWN_CODINGS.has(c)) unknown = true;
  }
  const last = (parts[parts.length - 1] as string).trim().toLowerCase();
  if (chunked > 1) return 400;
  if (last !== 'chunked') return unknown ? 501 : 400;
  return parts.length > 1 ? 501 : 0;
}

function namesFraming(v: string): boolean {
  for (const tok of v.split(',')) {
    const t = tok.trim().toLowerCase();
    if (t === 'content-length' || t === 'transfer-encoding' || t === 'host') return true;
  }
  return false;
}

/**
 * origin-form, or "*" for OPTIONS only; no CTLs, spaces, '#', '\\', raw non-ASCII, invalid or
 * NUL %-escapes (a backend decoding %00 may truncate the path it checks)
 */
function validTarget(s: string, method: string): boolean {
  if (s.length === 0) return false;
  if (s === '*') return method === 'OPTIONS';
  if (method === 'CONNECT') return false; // sluice does not tunnel: authority-form is refused too
  if (s.charCodeAt(0) !== 0x2f && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x23 || c === 0x5c) return false;
    if (c === 0x25) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      if (s.charCodeAt(i + 1) === 0x30 && s.charCodeAt(i + 2) === 0x30) return false;
    }
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
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
