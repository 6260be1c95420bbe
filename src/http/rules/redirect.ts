// `redirect` / `http-request redirect`, as haproxy http_apply_redirect_rule builds them:
//   location: the target as-is;
//   prefix:   target + request path (query kept unless drop-query); a target of "/" adds nothing,
//             so `redirect prefix / append-slash` can redirect to self;
//   scheme:   target + "://" + Host header + path (query kept unless drop-query);
// append-slash adds '/' when the location does not already end with one (prefix and scheme only).
// The 30x carries `content-length: 0`, `location`, and `cache-control: no-cache` for 302/303/307;
// the connection closes only when the request has a body not yet received.

import type { HttpRequestAction } from '../../config/model';
import type { Exchange, LocalReply } from '../exchange';
import { compileLogFormat } from './logformat';

type RedirectAction = Extract<HttpRequestAction, { action: 'redirect' }>;

/** Request path (and query unless dropped); "/" when the request target has no path. */
function pathPart(ex: Exchange, dropQuery: boolean): string {
  const url = ex.url;
  let end = url.length;
  if (dropQuery) {
    const q = url.indexOf('?');
    if (q >= 0) end = q;
  }
  if (url.charCodeAt(0) === 47 /* / */) return end === url.length ? url : url.slice(0, end);
  // absolute-form: skip scheme://authority (haproxy http_parse_path)
  const scheme = url.indexOf('://');
  if (scheme < 0) return '/';
  const slash = url.indexOf('/', scheme + 3);
  if (slash < 0 || slash >= end) {
    const q = url.indexOf('?', scheme + 3);
    return q >= 0 && q < end ? url.slice(q, end) : '/';
  }
  return url.slice(slash, end);
}

/** The request will still send a body, which a redirect does not wait for: close after it. */
function bodyPending(ex: Exchange): boolean {
  const h = ex.headers;
  for (let i = 0; i < h.length; i += 2) {
    const n = h[i];
    if (n === 'transfer-encoding') return true;
    if (n === 'content-length' && (h[i + 1] as string).trim() !== '0') return true;
  }
  return false;
}

export function compileRedirect(a: RedirectAction): (ex: Exchange) => LocalReply {
  const target = compileLogFormat(a.target);
  const { dropQuery, appendSlash, code } = a;
  const noCache = code === 302 || code === 303 || code === 307;
  const selfPrefix = a.type === 'prefix' && a.target === '/';

  let location: (ex: Exchange) => string;
  switch (a.type) {
    case 'location':
      location = target;
      break;
    case 'prefix':
      location = (ex) => (selfPrefix ? '' : target(ex)) + pathPart(ex, dropQuery);
      break;
    case 'scheme':
      location = (ex) => `${target(ex)}://${ex.header('host') ?? ''}${pathPart(ex, dropQuery)}`;
      break;
  }
  const withSlash =
    appendSlash && a.type !== 'location'
      ? (ex: Exchange): string => {
          const l = location(ex);
          return l.length > 0 && !l.endsWith('/') ? l + '/' : l;
        }
      : location;

  return (ex) => {
    const headers = ['content-length', '0', 'location', withSlash(ex)];
    if (noCache) headers.push('cache-control', 'no-cache');
    return { status: code, headers, body: '', close: bodyPending(ex) };
  };
}
