// `http-check send ...` and `http-check expect ...`: the request and the verdict of HTTP health
// checks. They refine `option httpchk` (enabled with its defaults when not written yet).
import type { HttpCheckModel } from '../model';
import type { ProxyDraft } from './draft';
import type { Stmt } from './stmt';
import { isVisibleAscii } from '../../util/http-syntax';

const DEFAULT_HTTPCHK: HttpCheckModel = { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', host: null };

export function parseHttpCheck(s: Stmt, draft: ProxyDraft): void {
  const verb = s.need(1, "'send' or 'expect'");
  if (verb === null) return;
  const hc: HttpCheckModel = draft.httpCheck ?? DEFAULT_HTTPCHK;
  if (verb === 'send') return parseSend(s, draft, hc);
  if (verb === 'expect') return parseExpect(s, draft, hc);
  if (verb === 'disable-on-404') {
    if (s.noMore(2)) draft.httpCheck = { ...hc, disableOn404: true };
    return;
  }
  if (
    verb === 'connect' ||
    verb === 'comment' ||
    verb === 'set-var' ||
    verb === 'unset-var' ||
    verb === 'send-state'
  ) {
    s.alert(1, `'http-check ${verb}' is not supported by sluice yet.`);
    return;
  }
  s.alert(1, `'http-check' : unknown directive '${verb}', expects 'send' or 'expect'.`);
}

function parseSend(s: Stmt, draft: ProxyDraft, hc: HttpCheckModel): void {
  let { method, uri, version, host } = hc;
  const headers: (readonly [string, string])[] = [...(hc.headers ?? [])];
  let body = hc.body ?? null;
  for (let i = 2; i < s.args.length; i += 2) {
    const k = s.args[i] as string;
    const v = s.args[i + 1];
    if (v === undefined) {
      s.alert(i, `'http-check send' : '${k}' expects an argument.`);
      return;
    }
    switch (k) {
      case 'meth':
        if (!/^[A-Za-z]+$/.test(v)) return s.alert(i + 1, `'http-check send' : invalid method '${v}'.`);
        method = v.toUpperCase();
        break;
      case 'uri':
        if (!v.startsWith('/') && v !== '*')
          return s.alert(i + 1, `'http-check send' : the URI must start with '/'.`);
        if (!isVisibleAscii(v))
          return s.alert(i + 1, `'http-check send' : the URI may hold visible ASCII characters only.`);
        uri = v;
        break;
      case 'ver':
        if (!/^HTTP\/[0-9]\.[0-9]$/.test(v))
          return s.alert(i + 1, `'http-check send' : invalid HTTP version '${v}'.`);
        version = v;
        break;
      case 'hdr': {
        const value = s.args[i + 2];
        if (value === undefined) return s.alert(i, `'http-check send hdr' expects a name and a value.`);
        if (!s.fieldName(i + 1, v) || !s.fieldValue(i + 2, value)) return;
        if (v.toLowerCase() === 'host') host = value;
        else headers.push([v, value]);
        i++;
        break;
      }
      case 'body':
        body = v;
        break;
      default:
        s.alert(
          i,
          `'http-check send' : unknown or unsupported argument '${k}' (expects meth, uri, ver, hdr or body).`,
        );
        return;
    }
  }
  draft.httpCheck = { ...hc, method, uri, version, host, headers, body };
}

function parseExpect(s: Stmt, draft: ProxyDraft, hc: HttpCheckModel): void {
  let i = 2;
  const negate = s.args[i] === '!';
  if (negate) i++;
  const kind = s.args[i];
  const pattern = s.args[i + 1];
  if (kind !== 'status' && kind !== 'rstatus' && kind !== 'string' && kind !== 'rstring') {
    s.alert(
      i,
      `'http-check expect' : expects 'status', 'rstatus', 'string' or 'rstring'${kind === undefined ? '' : `, got '${kind}'`}.`,
    );
    return;
  }
  if (pattern === undefined) {
    s.alert(i, `'http-check expect ${kind}' expects a pattern.`);
    return;
  }
  if (kind === 'rstatus' || kind === 'rstring') {
    try {
      new RegExp(pattern);
    } catch {
      s.alert(i + 1, `'http-check expect ${kind}' : invalid regex '${pattern}'.`);
      return;
    }
  } else if (kind === 'status' && !/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(pattern)) {
    s.alert(i + 1, `'http-check expect status' : invalid status list '${pattern}'.`);
    return;
  }
  if (!s.noMore(i + 2)) return;
  draft.httpCheck = { ...hc, expect: { kind, negate, pattern } };
}
