// HAProxy log-format strings for access logs, compiled once into a closure over a LogEntry.
// Syntax (manual §8.2.4): `%var`, `%{+Q}var` / `%{-Q}var`, `%[sample,conv]`, `%%`; a run of spaces
// is one separator, and a variable expanding to nothing (captures) takes its separator with it,
// as HAProxy's log builder does. Samples reuse the http-request rules' fetches.
import { parseExpr } from '../http/rules/logformat';
import type { Exchange } from '../http/exchange';
import { escapeLog } from './escape';
import type { LogEntry } from './entry';
import { LOG_VARS } from './vars';

export type LogLine = (e: LogEntry) => string;

type Piece =
  | { readonly k: 'lit'; readonly text: string }
  | { readonly k: 'sep' }
  | { readonly k: 'val'; readonly get: LogLine };

const FLAGS = new Set(['+Q', '-Q', '+E', '-E', '+X', '-X']);

function quoted(get: LogLine): LogLine {
  return (e) => '"' + get(e) + '"';
}

function sample(expr: (ex: Exchange) => string | undefined): LogLine {
  return (e) => {
    const v = e.ex === null ? undefined : expr(e.ex);
    return v === undefined || v === '' ? '-' : escapeLog(v);
  };
}

/** the format as pieces, or an error text */
function parse(fmt: string): Piece[] | string {
  const out: Piece[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') out.push({ k: 'lit', text: lit });
    lit = '';
  };
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c === ' ') {
      flush();
      if (out.length === 0 || out[out.length - 1]?.k !== 'sep') out.push({ k: 'sep' });
      i++;
      continue;
    }
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    if (fmt[i + 1] === '%') {
      lit += '%';
      i += 2;
      continue;
    }
    let j = i + 1;
    let quote = false;
    if (fmt[j] === '{') {
      const close = fmt.indexOf('}', j);
      if (close < 0) return `missing '}' after '%{' at position ${i}`;
      for (const f of fmt.slice(j + 1, close).split(',')) {
        if (!FLAGS.has(f)) return `unsupported log-format flag '${f}' at position ${i}`;
        if (f === '+Q') quote = true;
        if (f === '-Q') quote = false;
      }
      j = close + 1;
    }
    let get: LogLine;
    if (fmt[j] === '[') {
      const close = fmt.indexOf(']', j);
      if (close < 0) return `missing ']' after '%[' at position ${i}`;
      const s = parseExpr(fmt.slice(j + 1, close));
      if (typeof s === 'string') return s;
      get = sample(s);
      i = close + 1;
    } else {
      let k = j;
      while (k < fmt.length && /[A-Za-z]/.test(fmt[k] as string)) k++;
      const name = fmt.slice(j, k);
      if (name === '') return `unexpected character after '%' at position ${i} (use '%%' for a literal '%')`;
      const v = LOG_VARS[name];
      if (v === undefined) return `unsupported log-format variable '%${name}'`;
      i = k;
      if (v.type === 'none') continue;
      get = v.get;
      if (quote && v.type === 'str') get = quoted(get);
    }
    if (quote && fmt[j] === '[') get = quoted(get);
    flush();
    out.push({ k: 'val', get });
  }
  flush();
  // separators at the ends, and repeated ones left by variables that expand to nothing, vanish
  const pieces: Piece[] = [];
  for (const p of out) {
    if (p.k === 'sep' && (pieces.length === 0 || pieces[pieces.length - 1]?.k === 'sep')) continue;
    pieces.push(p);
  }
  if (pieces[pieces.length - 1]?.k === 'sep') pieces.pop();
  return pieces;
}

/** Error text for an unsupported or malformed access-log format, else null (config compiler). */
export function validateAccessLogFormat(fmt: string): string | null {
  const r = parse(fmt);
  return typeof r === 'string' ? r : null;
}

/** Compiles a validated format; an invalid one is a broken invariant and throws. */
export function compileAccessLogFormat(fmt: string): LogLine {
  const pieces = parse(fmt);
  if (typeof pieces === 'string') throw new Error(`invalid log-format '${fmt}': ${pieces}`);
  // adjacent constant text merges into one literal, so a line is a short loop of concatenations
  const parts: (string | LogLine)[] = [];
  for (const p of pieces) {
    const v = p.k === 'val' ? p.get : p.k === 'sep' ? ' ' : p.text;
    const last = parts[parts.length - 1];
    if (typeof v === 'string' && typeof last === 'string') parts[parts.length - 1] = last + v;
    else parts.push(v);
  }
  const n = parts.length;
  return (e) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const p = parts[i] as string | LogLine;
      out += typeof p === 'string' ? p : p(e);
    }
    return out;
  };
}
