// The hash key of a request for the hashing algorithms, extracted the way HAProxy's
// get_server_{sh,uh,ph,hh} read it (src/backend.c). Runs once per request: string scans, no regex.
import type { BalanceModel } from '../config/model';

export interface KeySource {
  readonly src: string;
  readonly url: string;
  /** flat [lower-case name, value, name, value, ...] */
  readonly headers: readonly string[];
}

/** the path of an origin-form or absolute-form request target (`path-only`) */
export function pathOf(url: string): string {
  if (url.startsWith('/')) return url;
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const slash = url.indexOf('/', scheme + 3);
  return slash < 0 ? '' : url.slice(slash);
}

/**
 * `balance uri [path-only] [len n] [depth n] [whole]`: the URI up to the `?` (all of it with
 * `whole`), cut to `len` characters, and stopped before the (depth+1)-th slash.
 */
export function uriKey(model: BalanceModel, url: string): string {
  let u = model.uriPathOnly ? pathOf(url) : url;
  if (model.uriLen > 0 && u.length > model.uriLen) u = u.slice(0, model.uriLen);
  const stopAt = model.uriDepth > 0 ? model.uriDepth + 1 : 0;
  let slashes = 0;
  let end = 0;
  for (; end < u.length; end++) {
    const c = u.charCodeAt(end);
    if (c === 0x2f) {
      if (++slashes === stopAt) break;
    } else if (c === 0x3f && !model.uriWhole) break;
  }
  return u.slice(0, end);
}

/** `balance url_param <name>`: the raw value of the first `name=` in the query, or null */
export function urlParamKey(name: string, url: string): string | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  let p = q + 1;
  while (p < url.length) {
    const amp = url.indexOf('&', p);
    const end = amp < 0 ? url.length : amp;
    if (url.charCodeAt(p + name.length) === 0x3d && url.startsWith(name, p) && p + name.length < end) {
      return url.slice(p + name.length + 1, end);
    }
    p = end + 1;
  }
  return null;
}

/**
 * `use_domain_only`: the label left of the last dot ("www.example.com" and "example.com:8080"
 * both give "example"); a value without a dot is used whole.
 */
export function domainOnly(host: string): string {
  const end = host.lastIndexOf('.');
  // HAProxy's backward scan never treats a leading dot as the end of the domain
  if (end < 1) return host;
  const start = end >= 2 ? host.lastIndexOf('.', end - 2) + 1 : 0;
  return host.slice(start, end);
}

/**
 * `balance hdr(<name>)`: the first value of the first occurrence of the header (HAProxy reads it
 * with http_find_header, which splits on commas), trimmed; null when absent or empty.
 */
export function headerKey(name: string, headers: readonly string[], useDomainOnly: boolean): string | null {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i] !== name) continue;
    const raw = headers[i + 1] as string;
    const comma = raw.indexOf(',');
    const v = (comma < 0 ? raw : raw.slice(0, comma)).trim();
    if (v === '') return null;
    return useDomainOnly ? domainOnly(v) : v;
  }
  return null;
}

export function balanceKey(model: BalanceModel, req: KeySource): string | null {
  switch (model.algorithm) {
    case 'source':
      return req.src === '' ? null : req.src;
    case 'uri':
      return uriKey(model, req.url);
    case 'url_param':
      return model.param === null ? null : urlParamKey(model.param, req.url);
    case 'hdr':
      return model.param === null ? null : headerKey(model.param, req.headers, model.useDomainOnly);
    default:
      return null;
  }
}
