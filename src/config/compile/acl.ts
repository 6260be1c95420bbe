// ACL expressions: `<criterion> [flags] [patterns...]`, used by `acl` lines and by anonymous
// `{ ... }` ACLs in conditions. The criterion names a fetch (with its argument) and, for derived
// keywords such as path_beg, the match method. Patterns are validated here (regexes compile,
// addresses parse) so that workers never meet a bad one.
import { didYouMean } from '../diagnostics';
import type { AclTerm, FetchName, MatchMethod, Origin } from '../model';
import { isNetwork } from '../units';
import type { Stmt } from './stmt';

interface FetchInfo {
  readonly fetch: FetchName;
  readonly needsArg: boolean;
  readonly defaultMatch: MatchMethod;
}

const FETCHES: Readonly<Record<string, FetchInfo>> = {
  path: { fetch: 'path', needsArg: false, defaultMatch: 'str' },
  url: { fetch: 'url', needsArg: false, defaultMatch: 'str' },
  query: { fetch: 'query', needsArg: false, defaultMatch: 'str' },
  url_param: { fetch: 'url_param', needsArg: true, defaultMatch: 'str' },
  urlp: { fetch: 'url_param', needsArg: true, defaultMatch: 'str' },
  hdr: { fetch: 'hdr', needsArg: true, defaultMatch: 'str' },
  'req.hdr': { fetch: 'hdr', needsArg: true, defaultMatch: 'str' },
  method: { fetch: 'method', needsArg: false, defaultMatch: 'str' },
  src: { fetch: 'src', needsArg: false, defaultMatch: 'ip' },
  dst_port: { fetch: 'dst_port', needsArg: false, defaultMatch: 'int' },
  req_ver: { fetch: 'req_ver', needsArg: false, defaultMatch: 'str' },
  'req.ver': { fetch: 'req_ver', needsArg: false, defaultMatch: 'str' },
  always_true: { fetch: 'always_true', needsArg: false, defaultMatch: 'found' },
  always_false: { fetch: 'always_false', needsArg: false, defaultMatch: 'found' },
};

/** Derived keywords: <base>_<suffix> implies the match method. */
const DERIVED_BASES: Readonly<Record<string, string>> = {
  path: 'path',
  url: 'url',
  urlp: 'urlp',
  hdr: 'hdr',
};
const SUFFIXES: Readonly<Record<string, MatchMethod>> = {
  beg: 'beg',
  end: 'end',
  sub: 'sub',
  reg: 'reg',
  dir: 'dir',
  dom: 'dom',
  len: 'len',
};
const MATCHES: readonly MatchMethod[] = [
  'str',
  'beg',
  'end',
  'sub',
  'reg',
  'dir',
  'dom',
  'found',
  'ip',
  'int',
  'len',
];

/** HAProxy fetches that sluice cannot evaluate yet: named in the alert rather than "unknown". */
const UNSUPPORTED_FETCHES = new Set([
  'base',
  'base_beg',
  'base_dir',
  'base_dom',
  'base_end',
  'base_len',
  'base_reg',
  'base_sub',
  'pathq',
  'hdr_cnt',
  'hdr_ip',
  'hdr_val',
  'req.fhdr',
  'req.hdr_cnt',
  'fhdr',
  'req.cook',
  'cook',
  'req.cook_cnt',
  'src_port',
  'dst',
  'ssl_fc',
  'ssl_fc_sni',
  'ssl_fc_alpn',
  'ssl_c_verify',
  'ssl_c_used',
  'req.ssl_sni',
  'req_ssl_sni',
  'req.ssl_hello_type',
  'req.len',
  'req.body',
  'req.payload',
  'nbsrv',
  'be_conn',
  'fe_conn',
  'connslots',
  'srv_conn',
  'queue',
  'avg_queue',
  'status',
  'res.hdr',
  'http_auth',
  'http_auth_group',
  'sc_http_req_rate',
  'sc0_http_req_rate',
  'sc1_http_req_rate',
  'sc2_http_req_rate',
  'src_conn_rate',
  'src_http_req_rate',
  'src_conn_cur',
  'var',
  'int',
  'str',
  'bool',
  'env',
  'date',
  'rand',
  'capture.req.hdr',
  'http_first_req',
  'req.proto_http',
  'url_ip',
  'url_port',
  'url32',
  'url32+src',
  'base32',
  'base32+src',
  'req.ssl_ver',
  'ssl_fc_protocol',
  'so_id',
  'fe_id',
  'be_id',
  'srv_id',
  'req.body_param',
  'cookie',
  'scook',
  'shdr',
  'req.timer.hdr',
  'wait_end',
  'stopping',
]);

const KNOWN = [
  ...Object.keys(FETCHES),
  ...Object.keys(DERIVED_BASES).flatMap((b) => Object.keys(SUFFIXES).map((s) => `${b}_${s}`)),
];

interface Criterion {
  readonly info: FetchInfo;
  readonly arg: string | null;
  /** match method implied by a derived keyword */
  readonly implied: MatchMethod | null;
}

function parseCriterion(s: Stmt, i: number, text: string): Criterion | null {
  if (text.includes(',')) {
    s.alert(i, `converters in ACL expression '${text}' are not supported by sluice yet.`);
    return null;
  }
  const m = /^([A-Za-z0-9_.+]+)(?:\((.*)\))?$/.exec(text);
  if (m === null) {
    s.alert(i, `invalid ACL expression '${text}'.`);
    return null;
  }
  const name = m[1];
  const arg = m[2] ?? null;
  let info = FETCHES[name];
  let implied: MatchMethod | null = null;
  if (info === undefined) {
    const us = name.lastIndexOf('_');
    const base = DERIVED_BASES[name.slice(0, us)];
    const suffix = SUFFIXES[name.slice(us + 1)];
    if (us > 0 && base !== undefined && suffix !== undefined) {
      info = FETCHES[base];
      implied = suffix;
    }
  }
  if (info === undefined) {
    if (UNSUPPORTED_FETCHES.has(name) || name.startsWith('ssl_') || name.startsWith('sc')) {
      s.alert(i, `fetch '${name}' is not supported by sluice yet.`);
    } else {
      s.alert(i, `unknown fetch method '${name}' in ACL expression '${text}'${didYouMean(name, KNOWN)}`);
    }
    return null;
  }
  if (info.needsArg && (arg === null || arg === '')) {
    s.alert(i, `fetch method '${name}' expects an argument, e.g. '${name}(host)'.`);
    return null;
  }
  if (!info.needsArg && arg !== null && arg !== '') {
    s.alert(i, `fetch method '${name}' takes no argument, got '${arg}'.`);
    return null;
  }
  if (arg !== null && arg.includes(',')) {
    s.alert(i, `occurrence argument in '${text}' is not supported by sluice yet.`);
    return null;
  }
  const normArg = info.fetch === 'hdr' && arg !== null ? arg.toLowerCase() : info.needsArg ? arg : null;
  return { info, arg: normArg, implied };
}

const INT_OPS = new Set(['eq', 'ge', 'gt', 'le', 'lt']);

function checkPattern(s: Stmt, i: number, match: MatchMethod, p: string, ignoreCase: boolean): boolean {
  switch (match) {
    case 'reg':
      try {
        new RegExp(p, ignoreCase ? 'i' : '');
        return true;
      } catch (e) {
        s.alert(i, `regex '${p}' is invalid: ${e instanceof Error ? e.message : String(e)}.`);
        return false;
      }
    case 'ip':
      if (isNetwork(p)) return true;
      s.alert(i, `'${p}' is not a valid IPv4 or IPv6 address or network.`);
      return false;
    case 'int':
    case 'len':
      if (/^[0-9]+$|^[0-9]*:[0-9]*$/.test(p) && p !== ':') return true;
      s.alert(
        i,
        `'${p}' is not a valid integer or range (expects <n>, <a>:<b>, or an operator eq|ge|gt|le|lt and <n>).`,
      );
      return false;
    default:
      return true;
  }
}

/**
 * Parses `<criterion> [flags] [patterns]` from s.args[from] to s.args[to - 1]. Errors are
 * reported; null means the expression is unusable.
 */
export function parseAclExpr(s: Stmt, from: number, to: number, origin: Origin): AclTerm | null {
  const text = s.args[from];
  if (text === undefined || from >= to) {
    s.alert(from, 'missing ACL criterion.');
    return null;
  }
  const crit = parseCriterion(s, from, text);
  if (crit === null) return null;
  let ignoreCase = false;
  let explicit: MatchMethod | null = null;
  let i = from + 1;
  let ok = true;
  while (i < to && s.args[i].startsWith('-')) {
    const f = s.args[i];
    if (f === '--') {
      i++;
      break;
    }
    if (f === '-i') ignoreCase = true;
    else if (f === '-m') {
      const m = i + 1 < to ? s.args[i + 1] : undefined;
      if (m === undefined) {
        s.alert(i, "'-m' expects a match method.");
        return null;
      }
      if (!(MATCHES as readonly string[]).includes(m)) {
        s.alert(i + 1, `unknown match method '${m}'${didYouMean(m, MATCHES)}`);
        return null;
      }
      if (crit.implied !== null) {
        s.alert(
          i,
          `'-m' cannot be used with ACL keyword '${text}', which already implies '-m ${crit.implied}'.`,
        );
        return null;
      }
      explicit = m as MatchMethod;
      i++;
    } else if (f === '-f' || f === '-M' || f === '-u' || f === '-n') {
      s.alert(i, `ACL flag '${f}' is not supported by sluice yet.`);
      ok = false;
      if (f !== '-n') i++;
    } else {
      s.alert(
        i,
        `'${f}' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'.`,
      );
      return null;
    }
    i++;
  }
  const match = explicit ?? crit.implied ?? crit.info.defaultMatch;
  const patterns: string[] = [];
  for (; i < to; i++) {
    let p = s.args[i];
    if ((match === 'int' || match === 'len') && INT_OPS.has(p)) {
      const v = i + 1 < to ? s.args[i + 1] : undefined;
      if (v === undefined || !/^[0-9]+$/.test(v)) {
        s.alert(i, `operator '${p}' expects an integer.`);
        ok = false;
        continue;
      }
      p = `${p} ${v}`;
      i++;
    } else if (!checkPattern(s, i, match, p, ignoreCase)) {
      ok = false;
      continue;
    }
    patterns.push(p);
  }
  if (match === 'found' && patterns.length > 0) {
    s.alert(from, `'-m found' takes no pattern, got '${patterns[0]}'.`);
    return null;
  }
  if (!ok) return null;
  return { fetch: crit.info.fetch, arg: crit.arg, match, ignoreCase, patterns, origin };
}

const PREDEF_ORIGIN: Origin = { file: '<predefined>', line: 0 };

function predef(fetch: FetchName, match: MatchMethod, patterns: string[], ignoreCase = false): AclTerm[] {
  return [{ fetch, arg: null, match, ignoreCase, patterns, origin: PREDEF_ORIGIN }];
}

export const PREDEFINED_ACLS: Readonly<Record<string, readonly AclTerm[]>> = {
  TRUE: predef('always_true', 'found', []),
  FALSE: predef('always_false', 'found', []),
  'HTTP_1.0': predef('req_ver', 'str', ['1.0']),
  'HTTP_1.1': predef('req_ver', 'str', ['1.1']),
  METH_GET: predef('method', 'str', ['GET', 'HEAD']),
  METH_POST: predef('method', 'str', ['POST']),
  METH_PUT: predef('method', 'str', ['PUT']),
  METH_DELETE: predef('method', 'str', ['DELETE']),
  METH_HEAD: predef('method', 'str', ['HEAD']),
  METH_OPTIONS: predef('method', 'str', ['OPTIONS']),
  METH_CONNECT: predef('method', 'str', ['CONNECT']),
  METH_TRACE: predef('method', 'str', ['TRACE']),
  LOCALHOST: predef('src', 'ip', ['127.0.0.1/8', '::1']),
};

export const UNSUPPORTED_PREDEFINED_ACLS = new Set([
  'HTTP',
  'HTTP_2.0',
  'HTTP_3.0',
  'HTTP_CONTENT',
  'HTTP_URL_ABS',
  'HTTP_URL_SLASH',
  'HTTP_URL_STAR',
  'RDP_COOKIE',
  'REQ_CONTENT',
  'WAIT_END',
]);
