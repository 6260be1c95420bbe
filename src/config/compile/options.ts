// `option <name> [args]` / `no option <name>`, and `timeout <name> <time>`.
import { isVisibleAscii } from '../../util/http-syntax';
import { didYouMean } from '../diagnostics';
import { OPTION_KEYWORDS, TIMEOUT_KEYWORDS, UNSUPPORTED_OPTIONS, type Caps } from '../keywords';
import { DEFAULT_FORWARDFOR_HEADER, HTTPLOG_FORMAT, TCPLOG_FORMAT, type Timeouts } from '../model';
import { isNetwork, parseIntArg, parseTime } from '../units';
import { kindLabel, type ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const TIMEOUT_FIELDS: Readonly<Record<string, keyof Timeouts>> = {
  connect: 'connect',
  client: 'client',
  server: 'server',
  'http-request': 'httpRequest',
  'http-keep-alive': 'httpKeepAlive',
  queue: 'queue',
  tunnel: 'tunnel',
  'client-fin': 'clientFin',
  'server-fin': 'serverFin',
  check: 'check',
};

/**
 * HAProxy's warnifnotcap(): a sub-keyword meant for the other side of a proxy is ignored with a
 * warning (a `timeout client` copied into a backend is common and harmless).
 */
function ignoredForCaps(s: Stmt, what: string, c: Caps, draft: ProxyDraft): boolean {
  const fe = draft.kind === 'frontend' || draft.kind === 'listen';
  const be = draft.kind === 'backend' || draft.kind === 'listen';
  if (draft.kind === 'defaults' || (fe && c.f) || (be && c.b)) return false;
  const missing = c.f ? 'frontend' : 'backend';
  s.warning(0, `'${what}' ignored because ${kindLabel(draft)} has no ${missing} capability.`);
  return true;
}

export function parseTimeout(s: Stmt, draft: ProxyDraft): void {
  const name = s.need(1, `one of ${Object.keys(TIMEOUT_KEYWORDS).join(', ')}`);
  if (name === null) return;
  const c = TIMEOUT_KEYWORDS[name];
  if (c === undefined) {
    if (name === 'tarpit' || name === 'client-hs')
      s.alert(1, `'timeout ${name}' is not supported by sluice yet.`);
    else
      s.alert(
        1,
        `'timeout' supports ${Object.keys(TIMEOUT_KEYWORDS).join(', ')} (got '${name}')${didYouMean(name, Object.keys(TIMEOUT_KEYWORDS))}`,
      );
    return;
  }
  const v = s.need(2, 'a time');
  const t = v === null ? null : s.value(2, `timeout ${name}`, parseTime(v));
  if (t === null || !s.noMore(3) || ignoredForCaps(s, `timeout ${name}`, c, draft)) return;
  // HAProxy: a zero timeout is "not set", which means infinite.
  draft.timeouts[TIMEOUT_FIELDS[name]] = t === 0 ? null : t;
}

function parseForwardFor(s: Stmt, draft: ProxyDraft): void {
  let header = DEFAULT_FORWARDFOR_HEADER;
  const except: string[] = [];
  let ifNone = false;
  for (let i = 2; i < s.args.length; i++) {
    const a = s.args[i];
    if (a === 'if-none') ifNone = true;
    else if (a === 'except' || a === 'header') {
      const v = s.need(i + 1, a === 'except' ? 'a network' : 'a header name');
      if (v === null) return;
      if (a === 'header') {
        if (!s.fieldName(i + 1, v)) return;
        header = v.toLowerCase();
      } else if (!isNetwork(v)) {
        s.alert(i + 1, `'option forwardfor except' expects an IPv4 or IPv6 network, got '${v}'.`);
        return;
      } else except.push(v);
      i++;
    } else {
      s.alert(
        i,
        `'option forwardfor' : unknown argument '${a}'${didYouMean(a, ['except', 'header', 'if-none'])}`,
      );
      return;
    }
  }
  draft.forwardFor = { header, except, ifNone };
  draft.forwardForPos = s.pos(0);
}

function parseHttpchk(s: Stmt, draft: ProxyDraft): void {
  const a = s.args.slice(2);
  if (a.length > 4) {
    s.noMore(6);
    return;
  }
  // HAProxy: one argument is the URI; otherwise <method> <uri> [<version>] [<host>].
  const method = a.length >= 2 ? a[0] : 'OPTIONS';
  const uri = a.length === 1 ? a[0] : (a[1] ?? '/');
  let version = a[2] ?? 'HTTP/1.0';
  let host = a[3] ?? null;
  // The pre-2.2 idiom `HTTP/1.1\r\nHost:\ example.com` smuggles a header into the version.
  const crlf = version.indexOf('\r\n');
  if (crlf >= 0) {
    const m = /^host:\s*(.*)$/i.exec(version.slice(crlf + 2).trim());
    version = version.slice(0, crlf);
    if (m !== null) host = m[1];
    else
      s.alert(
        4,
        "only a 'Host' header may follow the version in 'option httpchk'; use 'http-check send hdr' for others.",
      );
  }
  if (!/^[A-Za-z]+$/.test(method)) s.alert(2, `'option httpchk' : invalid method '${method}'.`);
  else if (!uri.startsWith('/') && uri !== '*')
    s.alert(a.length === 1 ? 2 : 3, `'option httpchk' : the URI must start with '/', got '${uri}'.`);
  else if (!isVisibleAscii(uri))
    s.alert(a.length === 1 ? 2 : 3, `'option httpchk' : the URI may hold visible ASCII characters only.`);
  else if (!/^HTTP\/[0-9]\.[0-9]$/.test(version))
    s.alert(4, `'option httpchk' : invalid HTTP version '${version}'.`);
  // http-check send/expect lines written before keep what they set
  else if (host === null || s.fieldValue(5, host, "'option httpchk' host"))
    draft.httpCheck = { ...draft.httpCheck, method: method.toUpperCase(), uri, version, host };
}

/** `option ...`, or `no option ...` when `negate` (the words then start at index 1). */
export function parseOption(s: Stmt, draft: ProxyDraft, negate: boolean): void {
  const base = negate ? 1 : 0;
  const name = s.need(base + 1, 'an option name');
  if (name === null) return;
  const c = OPTION_KEYWORDS[name];
  if (c === undefined) {
    if (UNSUPPORTED_OPTIONS.has(name)) s.alert(base + 1, `'option ${name}' is not supported by sluice yet.`);
    else
      s.alert(
        base + 1,
        `unknown option '${name}'${didYouMean(name, [...Object.keys(OPTION_KEYWORDS), ...UNSUPPORTED_OPTIONS])}`,
      );
    return;
  }
  if (ignoredForCaps(s, `option ${name}`, c, draft)) return;
  if (negate) {
    if (!s.noMore(3)) return;
    if (name === 'forwardfor') draft.forwardFor = null;
    else if (name === 'redispatch') draft.redispatch = { enabled: false, interval: -1 };
    else if (name === 'httpchk') draft.httpCheck = null;
    else if (name === 'dontlognull') draft.dontLogNull = false;
    else if (name === 'allbackups') draft.allBackups = false;
    else if (name === 'httplog' || name === 'tcplog') {
      if (draft.logFormatBy === name) setLogFormat(draft, null, null, null);
    } else if (draft.httpConnectionMode === modeOf(name)) draft.httpConnectionMode = 'keep-alive';
    return;
  }
  switch (name) {
    case 'forwardfor':
      parseForwardFor(s, draft);
      return;
    case 'httpchk':
      parseHttpchk(s, draft);
      return;
    case 'httplog':
      if (s.args[2] === 'clf') s.alert(2, "'option httplog clf' is not supported by sluice yet.");
      else if (s.noMore(2)) setLogFormat(draft, HTTPLOG_FORMAT, 'httplog', s.pos(1));
      return;
    case 'tcplog':
      if (s.noMore(2)) setLogFormat(draft, TCPLOG_FORMAT, 'tcplog', s.pos(1));
      return;
    case 'dontlognull':
      if (s.noMore(2)) draft.dontLogNull = true;
      return;
    case 'allbackups':
      if (s.noMore(2)) draft.allBackups = true;
      return;
    case 'redispatch': {
      const v = s.args[2];
      if (v === undefined) {
        draft.redispatch = { enabled: true, interval: -1 };
        return;
      }
      const n = s.value(2, 'option redispatch', parseIntArg(v, -(2 ** 31), 2 ** 31 - 1));
      if (n !== null && s.noMore(3)) draft.redispatch = { enabled: n !== 0, interval: n === 0 ? -1 : n };
      return;
    }
    default:
      if (s.noMore(2)) draft.httpConnectionMode = modeOf(name);
  }
}

/** the last of log-format / option httplog / option tcplog wins, as in HAProxy */
export function setLogFormat(
  draft: ProxyDraft,
  fmt: string | null,
  by: ProxyDraft['logFormatBy'],
  pos: ProxyDraft['logFormatPos'],
): void {
  draft.logFormat = fmt;
  draft.logFormatBy = by;
  draft.logFormatPos = pos;
}

function modeOf(option: string): 'keep-alive' | 'server-close' | 'close' {
  return option === 'http-server-close' ? 'server-close' : option === 'httpclose' ? 'close' : 'keep-alive';
}
