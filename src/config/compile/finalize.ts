// From drafts to Model objects: resolves `log global`, checks backend references and modes
// across proxies, and emits HAProxy's post-parse warnings (missing timeouts, no bind, ...).
import type { Diagnostics } from '../diagnostics';
import {
  TCPLOG_FORMAT,
  type BackendModel,
  type FrontendModel,
  type LogTarget,
  type UseBackendRule,
} from '../model';
import { hasBackend, hasFrontend, kindLabel, type LogEntry, type ProxyDraft } from './draft';
import { assignServerIds } from './server';

function resolveLogs(entries: readonly LogEntry[], global: readonly LogTarget[]): LogTarget[] {
  return entries.flatMap((e) => (e === 'global' ? global : [e]));
}

export function warnUnusedAcls(d: ProxyDraft, diags: Diagnostics): void {
  for (const [name, acl] of d.acls) {
    if (!acl.used) diags.warning(acl.pos, `acl '${name}' declared but never used in ${kindLabel(d)}.`);
  }
}

function checkTimeouts(d: ProxyDraft, diags: Diagnostics): void {
  const t = d.timeouts;
  const feMissing = hasFrontend(d) && t.client === null;
  const beMissing = hasBackend(d) && (t.connect === null || t.server === null);
  if (!feMissing && !beMissing) return;
  diags.warning(
    d.pos,
    `missing timeouts for ${d.kind} '${d.name}'.`,
    "While not properly invalid, you will certainly encounter various problems with such a configuration. To fix this, please ensure that all following timeouts are set to a non-zero value: 'client', 'connect', 'server'.",
  );
}

export function buildFrontend(
  d: ProxyDraft,
  backends: ReadonlyMap<string, ProxyDraft>,
  globalLogs: readonly LogTarget[],
  diags: Diagnostics,
): FrontendModel {
  const label = `Proxy '${d.name}'`;
  const http = d.mode === 'http';
  const rules = [...d.inheritedHttpRequest, ...d.httpRequest];
  if (!http && rules.length > 0) {
    diags.warning(d.pos, `'http-request' rules ignored for proxy '${d.name}' as they require HTTP mode.`);
  }
  if (!http && d.forwardFor !== null) {
    diags.warning(
      d.forwardForPos ?? d.pos,
      `'option forwardfor' ignored for ${d.kind} '${d.name}' as it requires HTTP mode.`,
    );
  }
  if (!http && d.maxRequestBody > 0) {
    diags.warning(d.pos, `'max-request-body-size' ignored for proxy '${d.name}' as it requires HTTP mode.`);
  }
  const useBackend: UseBackendRule[] = [];
  const checkRef = (name: string, how: string, pos: ProxyDraft['pos']): boolean => {
    const be = backends.get(name);
    if (be === undefined) {
      diags.alert(pos, `${label}: unable to find required ${how}: '${name}'.`);
      return false;
    }
    if (be.mode !== d.mode) {
      diags.alert(
        pos,
        `${label}: unable to use proxy '${name}' with wrong mode, required: ${d.mode}, has: ${be.mode}.`,
      );
      return false;
    }
    return true;
  };
  for (const u of d.useBackend) if (checkRef(u.rule.backend, 'use_backend', u.pos)) useBackend.push(u.rule);
  let defaultBackend = d.defaultBackend;
  if (defaultBackend !== null && !checkRef(defaultBackend, 'default_backend', d.defaultBackendPos ?? d.pos)) {
    defaultBackend = null;
  }
  if (d.kind === 'listen' && d.defaultBackend === null) defaultBackend = d.name;
  if (!http && d.stats !== null && d.kind !== 'defaults') {
    diags.warning(d.pos, `'stats' statements ignored for proxy '${d.name}' as they require HTTP mode.`);
  }
  if (d.binds.length === 0) {
    diags.warning(
      d.pos,
      `Proxy '${d.name}' has no 'bind' directive. Please declare it as a backend if this was intended.`,
    );
  }
  if (d.kind === 'frontend' && d.defaultBackend === null && d.useBackend.length === 0) {
    diags.warning(
      d.pos,
      `frontend '${d.name}' has no 'default_backend' nor 'use_backend' rule; its requests will get a 503.`,
    );
  }
  return {
    name: d.name,
    id: d.id,
    listen: d.kind === 'listen',
    mode: d.mode,
    binds: d.binds,
    maxconn: d.maxconn,
    maxRequestBody: http ? d.maxRequestBody : 0,
    timeouts: d.timeouts,
    acls: [...d.acls].map(([name, a]) => ({ name, terms: a.terms })),
    httpRequest: http ? rules : [],
    useBackend,
    services: http ? d.services : [],
    stats: http ? d.stats : null,
    defaultBackend,
    forwardFor: http ? d.forwardFor : null,
    httpConnectionMode: d.httpConnectionMode,
    errorFiles: [...d.errorFiles.values()],
    logs: resolveLogs(d.logs, globalLogs),
    logFormat: frontendLogFormat(d, diags),
    dontLogNull: d.dontLogNull,
    origin: d.origin,
  };
}

/** HAProxy: `option httplog` in a TCP frontend falls back to `option tcplog`, with a warning */
function frontendLogFormat(d: ProxyDraft, diags: Diagnostics): string | null {
  if (d.logFormatBy !== 'httplog' || d.mode === 'http') return d.logFormat;
  diags.warning(
    d.logFormatPos ?? d.pos,
    `'option httplog' not usable with ${d.kind} '${d.name}' (needs 'mode http'). Falling back to 'option tcplog'.`,
  );
  return TCPLOG_FORMAT;
}

export function buildBackend(
  d: ProxyDraft,
  globalLogs: readonly LogTarget[],
  diags: Diagnostics,
): BackendModel {
  const http = d.mode === 'http';
  assignServerIds(d);
  const rules = [...d.inheritedHttpRequest, ...d.httpRequest];
  // A section that answers every request itself (`http-request return` without condition) needs no server.
  const answersAll =
    http &&
    rules.some(
      (r) =>
        r.cond === null &&
        r.action !== 'set-header' &&
        r.action !== 'add-header' &&
        r.action !== 'del-header' &&
        r.action !== 'allow',
    );
  if (d.servers.length === 0 && !answersAll) {
    diags.warning(d.pos, `${d.kind} '${d.name}' has no server; its requests will get a 503.`);
  }
  // A listen section reports mode-related warnings once, through its frontend half.
  if (d.kind === 'backend' && !http && rules.length > 0) {
    diags.warning(d.pos, `'http-request' rules ignored for proxy '${d.name}' as they require HTTP mode.`);
  }
  if (d.kind === 'backend' && !http && d.forwardFor !== null) {
    diags.warning(
      d.forwardForPos ?? d.pos,
      `'option forwardfor' ignored for backend '${d.name}' as it requires HTTP mode.`,
    );
  }
  return {
    name: d.name,
    id: d.id,
    listen: d.kind === 'listen',
    mode: d.mode,
    balance: d.balance,
    hashType: d.hashType,
    servers: d.servers.map((s) => s.model),
    timeouts: d.timeouts,
    retries: d.retries,
    retryOn: d.retryOn,
    redispatch: d.redispatch,
    acls: [...d.acls].map(([name, a]) => ({ name, terms: a.terms })),
    httpRequest: http ? rules : [],
    forwardFor: http ? d.forwardFor : null,
    httpConnectionMode: d.httpConnectionMode,
    errorFiles: [...d.errorFiles.values()],
    httpCheck: d.httpCheck,
    logs: resolveLogs(d.logs, globalLogs),
    origin: d.origin,
    allBackups: d.allBackups,
    // only when said, so models of configs without state files stay as they were
    ...(d.loadServerState === null ? {} : { loadServerState: d.loadServerState }),
    ...(d.serverStateFileName === undefined ? {} : { serverStateFileName: d.serverStateFileName }),
  };
}

export function proxyWarnings(d: ProxyDraft, diags: Diagnostics): void {
  checkTimeouts(d, diags);
  warnUnusedAcls(d, diags);
}
