// `http-request <action> [args] [if|unless <cond>]` for the actions sluice runs. Each action
// consumes its own arguments positionally; what follows must be the condition, so a header value
// that happens to read "if" is still a value, as in HAProxy.
import { didYouMean } from '../diagnostics';
import { UNSUPPORTED_HTTP_REQUEST_ACTIONS } from '../keywords';
import {
  DEFAULT_DENY_STATUS,
  DEFAULT_REDIRECT_CODE,
  type HttpRequestAction,
  type HttpRequestRule,
} from '../model';
import { parseCondition } from './condition';
import type { ProxyDraft } from './draft';
import { ERRORFILE_CODES, parseRawResponse, readSmallFile } from './errorfile';
import type { Stmt } from './stmt';

const ACTIONS = ['set-header', 'add-header', 'del-header', 'allow', 'deny', 'return', 'redirect'];
const REDIRECT_CODES = [301, 302, 303, 307, 308] as const;
type RedirectCode = (typeof REDIRECT_CODES)[number];
type HeaderMatch = 'str' | 'beg' | 'end' | 'sub' | 'reg';
const HEADER_MATCHES: readonly HeaderMatch[] = ['str', 'beg', 'end', 'sub', 'reg'];
/** headers HAProxy refuses in generated replies: it computes them itself */
const FORBIDDEN_REPLY_HEADERS = new Set(['content-length', 'transfer-encoding']);

interface Parsed {
  readonly action: HttpRequestAction;
  /** index of the first word after the action's arguments */
  readonly next: number;
}

const isCond = (w: string | undefined): boolean => w === 'if' || w === 'unless';

/** A reply must fit in a buffer, as in HAProxy; 1 MiB bounds it before tune.bufsize is known. */
const MAX_REPLY_FILE = 1024 * 1024;

function readBody(s: Stmt, i: number, file: string): string | null {
  const r = readSmallFile(file, MAX_REPLY_FILE);
  if (r.ok) return r.text;
  s.alert(i, `${r.message}.`);
  return null;
}

/** deny / return: HAProxy's http reply arguments (parse_http_reply). */
function parseReply(s: Stmt, action: 'deny' | 'return'): Parsed | null {
  let status = action === 'deny' ? DEFAULT_DENY_STATUS : 200;
  let contentType: string | null = null;
  let body: string | null = null;
  let ctPos = 0;
  let fromErrorfile = false;
  const headers: (readonly [string, string])[] = [];
  let ok = true;
  let i = 2;
  while (i < s.args.length && !isCond(s.args[i])) {
    const opt = s.args[i];
    const v = s.args[i + 1];
    if (opt === 'hdr') {
      const hv = s.args[i + 2];
      if (v === undefined || hv === undefined) {
        s.alert(i, "'hdr' expects a name and a value.");
        return null;
      }
      if (!s.fieldName(i + 1, v) || !s.fieldValue(i + 2, hv)) return null;
      if (FORBIDDEN_REPLY_HEADERS.has(v.toLowerCase()))
        s.warning(i + 1, `header '${v}' ignored: sluice computes it.`);
      else headers.push([v, hv]);
      i += 3;
      continue;
    }
    if (v === undefined) {
      s.alert(i, `'${opt}' expects an argument.`);
      return null;
    }
    if (opt === 'status' || (opt === 'deny_status' && action === 'deny')) {
      const code = /^[0-9]{3}$/.test(v) ? Number(v) : NaN;
      const valid = action === 'deny' ? ERRORFILE_CODES.includes(code) : code >= 200 && code <= 599;
      if (!valid) {
        s.alert(i + 1, `status code '${v}' not handled by 'http-request ${action}'.`);
        ok = false;
      } else status = code;
    } else if (opt === 'content-type') {
      if (!s.fieldValue(i + 1, v, 'content-type')) return null;
      contentType = v;
      ctPos = i;
    } else if (opt === 'string' || opt === 'file' || opt === 'errorfile') {
      if (body !== null) {
        s.alert(i, `only one payload ('string', 'file' or 'errorfile') may be given.`);
        ok = false;
      }
      const text = opt === 'string' ? v : readBody(s, i + 1, v);
      if (text === null) ok = false;
      else if (opt === 'errorfile') {
        const raw = parseRawResponse(text);
        if (raw === null) {
          s.alert(i + 1, `errorfile '${v}' is not a valid HTTP response.`);
          ok = false;
        } else {
          fromErrorfile = true;
          status = raw.status;
          contentType = raw.contentType;
          body = raw.body;
          headers.push(...raw.headers);
        }
      } else body = text;
    } else if (opt === 'lf-string' || opt === 'lf-file' || opt === 'errorfiles') {
      s.alert(i, `'http-request ${action} ${opt}' is not supported by sluice yet.`);
      ok = false;
    } else {
      const opts = [
        'status',
        'content-type',
        'string',
        'file',
        'errorfile',
        'hdr',
        ...(action === 'deny' ? ['deny_status'] : []),
      ];
      s.alert(i, `'http-request ${action}' : unknown argument '${opt}'${didYouMean(opt, opts)}`);
      return null;
    }
    i += 2;
  }
  if (body !== null && body !== '' && contentType === null && !fromErrorfile) {
    s.alert(
      1,
      `'http-request ${action}' : a 'content-type' must be set with a non-empty 'string' or 'file' payload.`,
    );
    ok = false;
  }
  if (contentType !== null && body === null) {
    s.warning(ctPos, `'content-type' ignored by 'http-request ${action}' because there is no payload.`);
    contentType = null;
  }
  if ((status === 204 || status === 304) && body !== null && body !== '') {
    s.alert(1, `'http-request ${action}' : a ${status} response cannot have a payload.`);
    ok = false;
  }
  if (!ok) return null;
  return { action: { action, status, contentType, body, headers }, next: i };
}

function parseRedirect(s: Stmt): Parsed | null {
  const type = s.args[2];
  if (type !== 'location' && type !== 'prefix' && type !== 'scheme') {
    s.alert(2, `'http-request redirect' expects 'location', 'prefix' or 'scheme', got '${type ?? ''}'.`);
    return null;
  }
  const target = s.need(3, `a ${type}`);
  if (target === null || !s.fieldValue(3, target, `redirect ${type}`)) return null;
  let code: RedirectCode = DEFAULT_REDIRECT_CODE;
  let dropQuery = false;
  let appendSlash = false;
  let i = 4;
  while (i < s.args.length && !isCond(s.args[i])) {
    const opt = s.args[i];
    if (opt === 'code') {
      const v = Number(s.args[i + 1]);
      if (!(REDIRECT_CODES as readonly number[]).includes(v)) {
        s.alert(
          i + 1,
          `'redirect' : unsupported HTTP code '${s.args[i + 1] ?? ''}' (expects 301, 302, 303, 307 or 308).`,
        );
        return null;
      }
      code = v as RedirectCode;
      i += 2;
    } else if (opt === 'drop-query') {
      dropQuery = true;
      i++;
    } else if (opt === 'append-slash') {
      appendSlash = true;
      i++;
    } else if (
      opt === 'set-cookie' ||
      opt === 'clear-cookie' ||
      opt === 'ignore-empty' ||
      opt === 'keep-query'
    ) {
      s.alert(i, `redirect option '${opt}' is not supported by sluice yet.`);
      return null;
    } else {
      s.alert(
        i,
        `'redirect' : unknown argument '${opt}'${didYouMean(opt, ['code', 'drop-query', 'append-slash'])}`,
      );
      return null;
    }
  }
  return { action: { action: 'redirect', type, target, code, dropQuery, appendSlash }, next: i };
}

function parseAction(s: Stmt): Parsed | null {
  const name = s.args[1];
  switch (name) {
    case 'set-header':
    case 'add-header': {
      const h = s.need(2, 'a header name and a value');
      const v = h === null ? null : s.need(3, 'a header name and a value');
      if (h === null || v === null) return null;
      if (!s.fieldName(2, h) || !s.fieldValue(3, v)) return null;
      return { action: { action: name, name: h, value: v }, next: 4 };
    }
    case 'del-header': {
      const h = s.need(2, 'a header name');
      if (h === null) return null;
      if (s.args[3] !== '-m') return { action: { action: name, name: h, match: 'str' }, next: 3 };
      const m = s.args[4];
      if (m === undefined || !(HEADER_MATCHES as readonly string[]).includes(m)) {
        s.alert(4, `'del-header' : '-m' expects one of str, beg, end, sub, reg.`);
        return null;
      }
      if (m === 'reg' && !validRegex(s, 2, h)) return null;
      return { action: { action: name, name: h, match: m as HeaderMatch }, next: 5 };
    }
    case 'allow':
      return { action: { action: 'allow' }, next: 2 };
    case 'deny':
    case 'return':
      return parseReply(s, name);
    case 'redirect':
      return parseRedirect(s);
    case undefined:
      s.alert(0, `'http-request' expects an action (${ACTIONS.join(', ')}).`);
      return null;
    default:
      if (
        UNSUPPORTED_HTTP_REQUEST_ACTIONS.has(name) ||
        name.startsWith('lua.') ||
        name.startsWith('set-var(')
      ) {
        s.alert(1, `'http-request ${name}' is not supported by sluice yet.`);
      } else {
        s.alert(1, `'http-request' : unknown action '${name}'${didYouMean(name, ACTIONS)}`);
      }
      return null;
  }
}

function validRegex(s: Stmt, i: number, re: string): boolean {
  try {
    new RegExp(re);
    return true;
  } catch (e) {
    s.alert(i, `regex '${re}' is invalid: ${e instanceof Error ? e.message : String(e)}.`);
    return false;
  }
}

export function parseHttpRequest(s: Stmt, draft: ProxyDraft): HttpRequestRule | null {
  const parsed = parseAction(s);
  if (parsed === null) return null;
  let cond = null;
  if (parsed.next < s.args.length) {
    if (!isCond(s.args[parsed.next])) {
      s.alert(
        parsed.next,
        `'http-request ${s.args[1]}' : expects 'if' or 'unless' here, got '${s.args[parsed.next]}'.`,
      );
      return null;
    }
    cond = parseCondition(s, parsed.next, draft);
    if (cond === null) return null;
  }
  return { ...parsed.action, cond, origin: s.origin };
}
