// ACL terms compiled once into predicates over an Exchange. A fetch feeds each of its values to a
// precompiled test and stops at the first match (HAProxy ACL semantics: `hdr` iterates over every
// comma-separated value of every occurrence, `url_param` over every occurrence of the parameter).

import type { AclTerm, FetchName, MatchMethod } from '../../config/model';
import type { Exchange } from '../exchange';
import { compileIpMatcher, validateIpPattern } from '../../util/ip';
import { compileIntMatcher, parseIntPattern, parseLeadingInt } from './int-match';
import { forEachHeaderValue, forEachUrlParam } from './samples';

type Test = (v: string) => boolean;
type Predicate = (ex: Exchange) => boolean;

const NEVER: Predicate = () => false;
const ALWAYS: Predicate = () => true;
const ANY_VALUE: Test = () => true;

function isDelimiter(c: number, dom: boolean): boolean {
  // dir: '/' '?'; dom: '/' '?' '.' ':' (haproxy pat_match_dir / pat_match_dom)
  return c === 47 || c === 63 || (dom && (c === 46 || c === 58));
}

/** Pattern found in `v` bounded by delimiters or the string ends (haproxy match_word). */
function matchWord(v: string, word: string, dom: boolean): boolean {
  const pl = word.length;
  if (pl === 0 || pl > v.length) return false;
  const end = v.length - pl;
  let mayMatch = true;
  for (let i = 0; i <= end; i++) {
    if (isDelimiter(v.charCodeAt(i), dom)) {
      mayMatch = true;
      continue;
    }
    if (!mayMatch) continue;
    if (v.startsWith(word, i) && (i === end || isDelimiter(v.charCodeAt(i + pl), dom))) return true;
    mayMatch = false;
  }
  return false;
}

function trimDelimiters(p: string, dom: boolean): string {
  let a = 0;
  let b = p.length;
  while (a < b && isDelimiter(p.charCodeAt(a), dom)) a++;
  while (b > a && isDelimiter(p.charCodeAt(b - 1), dom)) b--;
  return p.slice(a, b);
}

function anyOf(pats: readonly string[], fn: (v: string, p: string) => boolean): Test {
  if (pats.length === 1) {
    const p = pats[0] as string;
    return (v) => fn(v, p);
  }
  return (v) => {
    for (const p of pats) if (fn(v, p)) return true;
    return false;
  };
}

/** Wraps a test so the sample is lower-cased once (patterns were lower-cased at compile time). */
function caseless(t: Test): Test {
  return (v) => t(v.toLowerCase());
}

function compileRegexes(patterns: readonly string[], ignoreCase: boolean): RegExp[] {
  const out: RegExp[] = [];
  for (const p of patterns) {
    try {
      out.push(new RegExp(p, ignoreCase ? 'i' : ''));
    } catch {
      // rejected by validateAclTerm at config compile time; never matches here
    }
  }
  return out;
}

/** The per-value test for a match method, or null for `found` (presence only). */
function compileTest(match: MatchMethod, patterns: readonly string[], ignoreCase: boolean): Test | null {
  const pats = ignoreCase ? patterns.map((p) => p.toLowerCase()) : patterns;
  const ci = (t: Test): Test => (ignoreCase ? caseless(t) : t);
  switch (match) {
    case 'found':
      return null;
    case 'str': {
      const set = new Set(pats);
      return ci((v) => set.has(v));
    }
    case 'beg':
      return ci(anyOf(pats, (v, p) => v.startsWith(p)));
    case 'end':
      return ci(anyOf(pats, (v, p) => v.endsWith(p)));
    case 'sub':
      return ci(anyOf(pats, (v, p) => v.includes(p)));
    case 'dir':
      return ci(
        anyOf(
          pats.map((p) => trimDelimiters(p, false)),
          (v, p) => matchWord(v, p, false),
        ),
      );
    case 'dom':
      return ci(
        anyOf(
          pats.map((p) => trimDelimiters(p, true)),
          (v, p) => matchWord(v, p, true),
        ),
      );
    case 'reg': {
      const res = compileRegexes(patterns, ignoreCase);
      return (v) => {
        for (const re of res) if (re.test(v)) return true;
        return false;
      };
    }
    case 'ip':
      return compileIpMatcher(patterns);
    case 'int': {
      const m = compileIntMatcher(patterns);
      return (v) => {
        const n = parseLeadingInt(v);
        return n !== null && m(n);
      };
    }
    case 'len': {
      const m = compileIntMatcher(patterns);
      return (v) => m(v.length);
    }
  }
}

/** The fetch for a term: feeds its values to `test` until one passes. */
function compileFetch(fetch: FetchName, arg: string | null, test: Test): Predicate {
  switch (fetch) {
    case 'path':
      return (ex) => test(ex.path);
    case 'url':
      return (ex) => test(ex.url);
    case 'query':
      // no '?' means no sample at all (so `found` fails), an empty query is an empty sample
      return (ex) => ex.url.indexOf('?') >= 0 && test(ex.query);
    case 'url_param': {
      const name = arg ?? '';
      return (ex) => forEachUrlParam(ex.url, name, test);
    }
    case 'hdr': {
      const name = arg === null ? null : arg.toLowerCase();
      return (ex) => forEachHeaderValue(ex.headers, name, test);
    }
    case 'method':
      return (ex) => test(ex.method);
    case 'src':
      return (ex) => test(ex.src);
    case 'dst_port':
      return (ex) => test(String(ex.dstPort));
    case 'req_ver':
      return (ex) => test(ex.version);
    case 'always_true':
      return ALWAYS;
    case 'always_false':
      return NEVER;
  }
}

/** Compiles one ACL declaration into a predicate. Never throws; invalid patterns never match. */
export function compileAclTerm(t: AclTerm): Predicate {
  if (t.fetch === 'always_true') return ALWAYS;
  if (t.fetch === 'always_false') return NEVER;
  // integer fetch against integer patterns: no string round trip
  if (t.fetch === 'dst_port' && t.match === 'int') {
    const m = compileIntMatcher(t.patterns);
    return (ex) => m(ex.dstPort);
  }
  const test = compileTest(t.match, t.patterns, t.ignoreCase);
  if (test === null) return compileFetch(t.fetch, t.arg, ANY_VALUE);
  // HAProxy: an ACL without patterns never matches, except presence tests
  if (t.patterns.length === 0) return NEVER;
  return compileFetch(t.fetch, t.arg, test);
}

/** Error text for patterns that cannot work with the term's match method, else null. */
export function validateAclTerm(t: AclTerm): string | null {
  for (const p of t.patterns) {
    switch (t.match) {
      case 'reg':
        try {
          new RegExp(p);
        } catch (e) {
          return `invalid regex '${p}': ${(e as Error).message}`;
        }
        break;
      case 'ip': {
        const err = validateIpPattern(p);
        if (err !== null) return err;
        break;
      }
      case 'int':
      case 'len':
        if (parseIntPattern(p) === null) return `'${p}' is not a valid integer or range`;
        break;
      default:
        break;
    }
  }
  if (t.fetch === 'url_param' && !t.arg) return "'url_param' expects a parameter name";
  return null;
}
