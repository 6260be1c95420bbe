// HAProxy log-format strings (`%[fetch(arg),conv]`, `%ci`, `%%`, literal text) compiled into
// `(ex) => string`. Used by header actions, redirect targets, `use_backend` names and access logs.
//
// Two flavours, as in HAProxy: in HTTP actions ('http') a missing sample expands to nothing and
// control characters in samples are %-encoded (so a header value can never be split); in log lines
// ('log') a missing sample prints "-".

import type { Exchange } from '../exchange';
import { headerValue, urlParam } from './samples';

export type LogFormatMode = 'http' | 'log';

type Sample = (ex: Exchange) => string | undefined;

interface FetchDef {
  /** argument count accepted: [min, max] */
  readonly args: readonly [number, number];
  readonly make: (args: readonly string[]) => Sample;
}

function hdrFetch(args: readonly string[]): Sample {
  const name = (args[0] as string).toLowerCase();
  const occ = args[1] === undefined ? -1 : Number(args[1]);
  return (ex) => headerValue(ex.headers, name, occ);
}

const FETCHES: Readonly<Record<string, FetchDef>> = {
  src: { args: [0, 0], make: () => (ex) => ex.src },
  src_port: { args: [0, 0], make: () => (ex) => String(ex.srcPort) },
  dst_port: { args: [0, 0], make: () => (ex) => String(ex.dstPort) },
  method: { args: [0, 0], make: () => (ex) => ex.method },
  path: { args: [0, 0], make: () => (ex) => ex.path },
  url: { args: [0, 0], make: () => (ex) => ex.url },
  pathq: { args: [0, 0], make: () => (ex) => ex.url },
  query: { args: [0, 0], make: () => (ex) => (ex.url.indexOf('?') < 0 ? undefined : ex.query) },
  url_param: { args: [1, 1], make: (a) => urlParamFetch(a[0] as string) },
  urlp: { args: [1, 1], make: (a) => urlParamFetch(a[0] as string) },
  hdr: { args: [1, 2], make: hdrFetch },
  'req.hdr': { args: [1, 2], make: hdrFetch },
  base: {
    args: [0, 0],
    // Host header + path; just the path without a Host header (haproxy smp_fetch_base)
    make: () => (ex) => {
      const host = ex.header('host');
      return host === undefined ? ex.path : host + ex.path;
    },
  },
  'req.ver': { args: [0, 0], make: () => (ex) => ex.version },
  req_ver: { args: [0, 0], make: () => (ex) => ex.version },
  fe_name: { args: [0, 0], make: () => (ex) => ex.frontend },
};

function urlParamFetch(name: string): Sample {
  return (ex) => urlParam(ex.url, name);
}

const CONVERTERS: Readonly<Record<string, (v: string) => string>> = {
  lower: (v) => v.toLowerCase(),
  upper: (v) => v.toUpperCase(),
};

const ALIASES: Readonly<Record<string, Sample>> = {
  ci: (ex) => ex.src,
  cp: (ex) => String(ex.srcPort),
  fp: (ex) => String(ex.dstPort),
  HM: (ex) => ex.method,
  HU: (ex) => ex.url,
  HP: (ex) => ex.path,
  HQ: (ex) => {
    const q = ex.url.indexOf('?');
    return q < 0 ? '' : ex.url.slice(q);
  },
  HV: (ex) => `HTTP/${ex.version}`,
};

type Part = string | Sample;

/** Parses `name(arg,arg),conv,conv` inside %[...]; returns the sample or an error text. */
export function parseExpr(expr: string): Sample | string {
  const m = /^([a-z_][a-z0-9_.]*)(?:\(([^()]*)\))?((?:,[a-z_][a-z0-9_]*)*)$/i.exec(expr.trim());
  if (m === null) return `malformed sample expression '${expr}'`;
  const [, name = '', rawArgs, convs = ''] = m;
  const def = FETCHES[name];
  if (def === undefined) return `unsupported sample fetch '${name}' in '%[${expr}]'`;
  const args = rawArgs === undefined || rawArgs === '' ? [] : rawArgs.split(',').map((a) => a.trim());
  if (args.length < def.args[0] || args.length > def.args[1])
    return def.args[0] === def.args[1] && def.args[0] === 0
      ? `fetch '${name}' takes no argument`
      : `fetch '${name}' expects ${def.args[0] === def.args[1] ? def.args[0] : `${def.args[0]} to ${def.args[1]}`} argument(s)`;
  if (args.some((a) => a.length === 0)) return `empty argument in '%[${expr}]'`;
  if ((name === 'hdr' || name === 'req.hdr') && args[1] !== undefined && !/^-?\d+$/.test(args[1]))
    return `invalid header occurrence '${args[1]}' in '%[${expr}]'`;
  let sample = def.make(args);
  for (const conv of convs.split(',').slice(1)) {
    const fn = CONVERTERS[conv];
    if (fn === undefined) return `unsupported converter '${conv}' in '%[${expr}]'`;
    const inner = sample;
    sample = (ex) => {
      const v = inner(ex);
      return v === undefined ? undefined : fn(v);
    };
  }
  return sample;
}

/** Splits a log-format string into literal and sample parts; returns an error text when invalid. */
function parse(fmt: string): Part[] | string {
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    const next = fmt[i + 1];
    if (next === '%') {
      lit += '%';
      i += 2;
      continue;
    }
    let sample: Sample;
    if (next === '[') {
      const close = fmt.indexOf(']', i + 2);
      if (close < 0) return `missing ']' after '%[' at position ${i}`;
      const s = parseExpr(fmt.slice(i + 2, close));
      if (typeof s === 'string') return s;
      sample = s;
      i = close + 1;
    } else if (next === '{') {
      return `log-format flags '%{...}' are not supported (position ${i})`;
    } else {
      const m = /^[A-Za-z]+/.exec(fmt.slice(i + 1));
      if (m === null) return `unexpected character after '%' at position ${i} (use '%%' for a literal '%')`;
      const alias = ALIASES[m[0]];
      if (alias === undefined) return `unsupported log-format alias '%${m[0]}'`;
      sample = alias;
      i += 1 + m[0].length;
    }
    if (lit.length > 0) parts.push(lit);
    lit = '';
    parts.push(sample);
  }
  if (lit.length > 0) parts.push(lit);
  return parts;
}

/** Error text for unsupported or malformed syntax, else null (called by the config compiler). */
export function validateLogFormat(s: string): string | null {
  const r = parse(s);
  return typeof r === 'string' ? r : null;
}

/** The expansion of a format without samples (computable at load), else null. */
export function logFormatConstant(s: string): string | null {
  const r = parse(s);
  if (typeof r === 'string') return null;
  if (r.length === 0) return '';
  return r.length === 1 && typeof r[0] === 'string' ? r[0] : null;
}

// 0x00-0x08, 0x0a-0x1f, 0x7f: what HAProxy's http_encode_map escapes in header values
// eslint-disable-next-line no-control-regex
const HTTP_UNSAFE = /[\x00-\x08\x0a-\x1f\x7f]/g;

function httpEncode(v: string): string {
  HTTP_UNSAFE.lastIndex = 0;
  if (!HTTP_UNSAFE.test(v)) return v;
  return v.replace(HTTP_UNSAFE, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/**
 * Compiles a log-format string. Formats reach here validated (validateLogFormat); an invalid one
 * is a broken invariant and throws.
 */
export function compileLogFormat(fmt: string, mode: LogFormatMode = 'http'): (ex: Exchange) => string {
  const parsed = parse(fmt);
  if (typeof parsed === 'string') throw new Error(`invalid log-format '${fmt}': ${parsed}`);
  const missing = mode === 'log' ? '-' : '';
  const parts: (string | ((ex: Exchange) => string))[] = parsed.map((p) => {
    if (typeof p === 'string') return p;
    if (mode === 'log')
      return (ex: Exchange) => {
        const v = p(ex);
        return v === undefined || v === '' ? missing : v;
      };
    return (ex: Exchange) => {
      const v = p(ex);
      return v === undefined ? missing : httpEncode(v);
    };
  });
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const only = parts[0] as string | ((ex: Exchange) => string);
    return typeof only === 'string' ? () => only : only;
  }
  return (ex) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(ex);
    return out;
  };
}
