// One statement of a defaults/frontend/backend/listen section: checks the keyword against the
// section matrix, then hands it to the keyword's parser, which updates the draft.
import { didYouMean } from '../diagnostics';
import { PROXY_KEYWORDS, UNSUPPORTED_PROXY_KEYWORDS, type Caps } from '../keywords';
import { parseIntArg, parseSize } from '../units';
import { parseAclExpr } from './acl';
import { parseBalance, parseHashType } from './balance';
import { parseBind } from './bind';
import { condIndex, parseCondition } from './condition';
import { hasBackend, hasFrontend, kindLabel, type ProxyDraft } from './draft';
import { parseErrorfile } from './errorfile';
import { parseHttpRequest } from './http-request';
import { parseUseService } from './use-service';
import { parseStats } from './stats';
import { parseLog } from './log';
import { parseOption, parseTimeout, setLogFormat } from './options';
import { validateAccessLogFormat } from '../../log/format';
import { parseRetryOn } from './retry-on';
import { parseDefaultServer, parseServer } from './server';
import { parseHttpCheck } from './http-check';
import { parseLoadServerState, parseServerStateFileName } from './server-state-file';
import type { Stmt } from './stmt';

const SECTION_WORD: Readonly<Record<ProxyDraft['kind'], string>> = {
  defaults: 'defaults',
  frontend: 'frontend',
  backend: 'backend',
  listen: 'listen',
};

function allowed(s: Stmt, c: Caps, draft: ProxyDraft): boolean {
  const kw = s.kw;
  if (draft.kind === 'defaults') {
    if (!c.d) s.alert(0, `'${kw}' not allowed in 'defaults' section.`);
    else if (c.namedDefaultsOnly === true && draft.name === '') {
      s.alert(
        0,
        `'${kw}' not allowed in anonymous 'defaults' section; name the section to declare rules there.`,
      );
    } else return true;
    return false;
  }
  if ((hasFrontend(draft) && c.f) || (hasBackend(draft) && c.b)) return true;
  const cap = c.f ? 'frontend' : 'backend';
  s.alert(
    0,
    `'${kw}' not allowed in '${SECTION_WORD[draft.kind]}' section (${kindLabel(draft)} has no ${cap} capability).`,
  );
  return false;
}

function parseAcl(s: Stmt, draft: ProxyDraft): void {
  const name = s.need(1, 'an ACL name and a criterion');
  if (name === null) return;
  const bad = /[^A-Za-z0-9_.:-]/.exec(name);
  if (bad !== null || name === '') {
    s.alert(1, `character '${bad?.[0] ?? ''}' is not permitted in acl name '${name}'.`);
    return;
  }
  const term = parseAclExpr(s, 2, s.args.length, s.origin);
  if (term === null) return;
  const acl = draft.acls.get(name);
  if (acl === undefined) draft.acls.set(name, { terms: [term], pos: s.pos(1), used: false });
  else acl.terms.push(term);
}

function parseUseBackend(s: Stmt, draft: ProxyDraft): void {
  const name = s.need(1, 'a backend name');
  if (name === null) return;
  if (name.includes('%[')) {
    s.alert(1, `dynamic backend names ('${name}') are not supported by sluice yet.`);
    return;
  }
  let cond = null;
  if (s.args.length > 2) {
    const ci = condIndex(s, 2);
    if (ci !== 2) {
      s.alert(2, `'use_backend' expects 'if' or 'unless' after the backend name, got '${s.args[2]}'.`);
      return;
    }
    cond = parseCondition(s, 2, draft);
    if (cond === null) return;
  }
  draft.useBackend.push({ rule: { backend: name, cond, origin: s.origin }, pos: s.pos(1) });
}

function proxyKeyword(s: Stmt, draft: ProxyDraft, bufsize: number): void {
  const kw = s.kw;
  switch (kw) {
    case 'acl':
      return parseAcl(s, draft);
    case 'bind':
      return parseBind(s, draft);
    case 'mode': {
      const m = s.need(1, "'http' or 'tcp'");
      if (m === null || !s.noMore(2)) return;
      if (m === 'http' || m === 'tcp') draft.mode = m;
      else if (m === 'log' || m === 'spop' || m === 'haterm')
        s.alert(1, `'mode ${m}' is not supported by sluice yet.`);
      else s.alert(1, `unknown proxy mode '${m}'${didYouMean(m, ['http', 'tcp'])}`);
      return;
    }
    case 'maxconn': {
      const v = s.need(1, 'an integer argument');
      const n = v === null ? null : s.value(1, kw, parseIntArg(v, 0, 2 ** 31 - 1));
      if (n !== null && s.noMore(2)) draft.maxconn = n;
      return;
    }
    case 'max-request-body-size': {
      const v = s.need(1, 'a size (bytes, with an optional k, m or g unit; 0 = no limit)');
      const n = v === null ? null : s.value(1, kw, parseSize(v));
      if (n !== null && s.noMore(2)) draft.maxRequestBody = n;
      return;
    }
    case 'retries': {
      const v = s.need(1, 'an integer argument');
      const n = v === null ? null : s.value(1, kw, parseIntArg(v, 0, 2 ** 31 - 1));
      if (n !== null && s.noMore(2)) draft.retries = n;
      return;
    }
    case 'retry-on':
      return parseRetryOn(s, draft);
    case 'timeout':
      return parseTimeout(s, draft);
    case 'default_backend': {
      const v = s.need(1, 'a backend name');
      if (v !== null && s.noMore(2)) {
        draft.defaultBackend = v;
        draft.defaultBackendPos = s.pos(1);
      }
      return;
    }
    case 'use_backend':
      return parseUseBackend(s, draft);
    case 'balance':
      return parseBalance(s, draft);
    case 'hash-type':
      return parseHashType(s, draft);
    case 'server':
      return parseServer(s, draft);
    case 'default-server':
      return parseDefaultServer(s, draft);
    case 'http-check':
      return parseHttpCheck(s, draft);
    case 'option':
      return parseOption(s, draft, false);
    case 'http-request': {
      if (s.args[1] === 'use-service') return parseUseService(s, draft);
      const rule = parseHttpRequest(s, draft);
      if (rule !== null) draft.httpRequest.push(rule);
      return;
    }
    case 'stats':
      return parseStats(s, draft);
    case 'load-server-state-from-file':
      return parseLoadServerState(s, draft);
    case 'server-state-file-name':
      return parseServerStateFileName(s, draft);
    case 'errorfile': {
      const ef = parseErrorfile(s, bufsize);
      if (ef !== null) draft.errorFiles.set(ef.status, ef);
      return;
    }
    case 'log-format': {
      const fmt = s.need(1, 'a log-format string');
      if (fmt === null || !s.noMore(2)) return;
      const err = validateAccessLogFormat(fmt);
      if (err !== null) s.alert(1, `'log-format': ${err}.`);
      else setLogFormat(draft, fmt, 'log-format', s.pos(1));
      return;
    }
    case 'log':
      if (s.args[1] === 'global') {
        if (s.noMore(2)) draft.logs.push('global');
        return;
      }
      {
        const t = parseLog(s, 1);
        if (t !== null) draft.logs.push(t);
      }
      return;
  }
}

export function proxyStatement(s: Stmt, draft: ProxyDraft, bufsize: number): void {
  const kw = s.kw;
  const section = SECTION_WORD[draft.kind];
  if (kw === 'no') {
    const sub = s.args[1];
    if (sub === 'option') {
      if (allowed(s, PROXY_KEYWORDS.option, draft)) parseOption(s, draft, true);
    } else if (sub === 'log') {
      if (s.noMore(2)) draft.logs = [];
    } else {
      s.alert(1, `'no' expects 'option' or 'log', got '${sub ?? ''}'.`);
    }
    return;
  }
  const c = PROXY_KEYWORDS[kw];
  if (c !== undefined) {
    if (allowed(s, c, draft)) proxyKeyword(s, draft, bufsize);
    return;
  }
  if (UNSUPPORTED_PROXY_KEYWORDS[kw] !== undefined) {
    s.alert(0, `'${kw}' is not supported by sluice yet.`);
    return;
  }
  const known = [...Object.keys(PROXY_KEYWORDS), ...Object.keys(UNSUPPORTED_PROXY_KEYWORDS)];
  s.alert(0, `unknown keyword '${kw}' in '${section}' section${didYouMean(kw, known)}`);
}
