// `http-request` rules compiled into one function run per request, in order. Each rule is a
// precompiled condition plus an action closure; replies without dynamic parts are built at load.

import type { ErrorFileModel, HttpRequestAction, HttpRequestRule, LogFormatString } from '../../config/model';
import { compileErrorReplies } from '../errors';
import type { Exchange, LocalReply } from '../exchange';
import { addHeader, delHeader } from '../headers';
import { compileCondition } from './condition';
import { compileLogFormat, logFormatConstant } from './logformat';
import { compileRedirect } from './redirect';

/** What an action decided: a reply ends the request, STOP ends rule evaluation, CONTINUE goes on. */
type Outcome = LocalReply | typeof STOP | typeof CONTINUE;
const STOP = null;
const CONTINUE = undefined;

type Action = (ex: Exchange) => Outcome;

interface CompiledRule {
  readonly test: (ex: Exchange) => boolean;
  readonly run: Action;
}

type HeaderAction = Extract<HttpRequestAction, { action: 'set-header' | 'add-header' }>;
type DelHeaderAction = Extract<HttpRequestAction, { action: 'del-header' }>;
type ReplyAction = Extract<HttpRequestAction, { action: 'deny' | 'return' }>;

function compileSetOrAdd(a: HeaderAction): Action {
  const name = a.name.toLowerCase();
  const value = compileLogFormat(a.value);
  if (a.action === 'add-header')
    return (ex) => {
      addHeader(ex.headers, name, value(ex));
      return CONTINUE;
    };
  return (ex) => {
    // computed before the removal so `set-header X %[hdr(x)]-suffix` sees the old value
    const v = value(ex);
    delHeader(ex.headers, name);
    addHeader(ex.headers, name, v);
    return CONTINUE;
  };
}

function nameMatcher(a: DelHeaderAction): ((n: string) => boolean) | null {
  const p = a.match === 'reg' ? a.name : a.name.toLowerCase();
  switch (a.match) {
    case 'str':
      return null; // exact name: delHeader does it without a predicate
    case 'beg':
      return (n) => n.startsWith(p);
    case 'end':
      return (n) => n.endsWith(p);
    case 'sub':
      return (n) => n.includes(p);
    case 'reg': {
      // header names are case-insensitive, and ours are stored lower-case
      let re: RegExp;
      try {
        re = new RegExp(p, 'i');
      } catch {
        return () => false;
      }
      return (n) => re.test(n);
    }
  }
}

function compileDelHeader(a: DelHeaderAction): Action {
  const match = nameMatcher(a);
  if (match === null) {
    const name = a.name.toLowerCase();
    return (ex) => {
      delHeader(ex.headers, name);
      return CONTINUE;
    };
  }
  return (ex) => {
    const h = ex.headers;
    let w = 0;
    for (let r = 0; r < h.length; r += 2) {
      if (match(h[r] as string)) continue;
      if (w !== r) {
        h[w] = h[r] as string;
        h[w + 1] = h[r + 1] as string;
      }
      w += 2;
    }
    h.length = w;
    return CONTINUE;
  };
}

type HeaderValue = (ex: Exchange) => string;

function compileReply(a: ReplyAction, errorReplies: (status: number) => LocalReply): Action {
  if (a.body === null) {
    if (a.action === 'deny') {
      // like HAProxy: the built-in page or the proxy's errorfile for the status, headers ignored
      const page = errorReplies(a.status);
      return () => page;
    }
    if (a.headers.length === 0) {
      const empty: LocalReply = Object.freeze({ status: a.status, headers: Object.freeze([]), body: '' });
      return () => empty;
    }
  }
  const fixed: string[] = [];
  if (a.contentType !== null && a.body !== null) fixed.push('content-type', a.contentType);
  const dynamic: [string, HeaderValue][] = [];
  for (const [rawName, fmt] of a.headers as readonly (readonly [string, LogFormatString])[]) {
    const name = rawName.toLowerCase();
    const constant = logFormatConstant(fmt);
    if (constant !== null && dynamic.length === 0) fixed.push(name, constant);
    else dynamic.push([name, compileLogFormat(fmt)]);
  }
  const body = a.body ?? '';
  if (dynamic.length === 0) {
    const reply: LocalReply = Object.freeze({ status: a.status, headers: Object.freeze(fixed), body });
    return () => reply;
  }
  return (ex) => {
    const headers = fixed.slice();
    for (const [name, value] of dynamic) headers.push(name, value(ex));
    return { status: a.status, headers, body };
  };
}

function compileAction(a: HttpRequestAction, errorReplies: (status: number) => LocalReply): Action {
  switch (a.action) {
    case 'set-header':
    case 'add-header':
      return compileSetOrAdd(a);
    case 'del-header':
      return compileDelHeader(a);
    case 'allow':
      return () => STOP;
    case 'deny':
    case 'return':
      return compileReply(a, errorReplies);
    case 'redirect':
      return compileRedirect(a);
  }
}

/**
 * Compiles a proxy's `http-request` rules. The result returns the reply that ends the request
 * (deny, return, redirect), or null to let it through (end of rules or `allow`).
 */
export function compileHttpRequestRules(
  rules: readonly HttpRequestRule[],
  errorFiles: readonly ErrorFileModel[],
): (ex: Exchange) => LocalReply | null {
  if (rules.length === 0) return () => null;
  const errorReplies = compileErrorReplies(errorFiles);
  const compiled: CompiledRule[] = rules.map((r) => ({
    test: compileCondition(r.cond),
    run: compileAction(r, errorReplies),
  }));
  return (ex) => {
    for (const r of compiled) {
      if (!r.test(ex)) continue;
      const out = r.run(ex);
      if (out !== CONTINUE) return out;
    }
    return null;
  };
}
