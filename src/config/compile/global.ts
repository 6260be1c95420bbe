// The `global` section: process-wide settings. Several global sections merge, later lines win.
import type { SectionNode } from '../ast';
import { didYouMean, type Diagnostics } from '../diagnostics';
import {
  DEFAULT_BUFSIZE,
  DEFAULT_GLOBAL_MAXCONN,
  DEFAULT_MAXHDR,
  DEFAULT_STATS_TIMEOUT_MS,
  resolveStatePath,
  type GlobalModel,
  type StatsLevel,
  type StatsSocketModel,
} from '../model';
import { GLOBAL_KEYWORDS, UNSUPPORTED_GLOBAL_KEYWORDS } from '../keywords';
import { isIP } from 'node:net';
import { parseIntArg, parsePort, parseSize, parseTime, splitHostPort } from '../units';
import type { Mutable } from './draft';
import { parseLog } from './log';
import { Stmt } from './stmt';

const LEVELS: readonly StatsLevel[] = ['user', 'operator', 'admin'];

export function defaultGlobal(): Mutable<GlobalModel> {
  return {
    maxconn: DEFAULT_GLOBAL_MAXCONN,
    nbthread: null,
    pidfile: null,
    hardStopAfter: null,
    user: null,
    group: null,
    insecureRunAsRoot: false,
    logs: [],
    statsSockets: [],
    statsTimeout: DEFAULT_STATS_TIMEOUT_MS,
    tune: { bufsize: DEFAULT_BUFSIZE, maxhdr: DEFAULT_MAXHDR },
  };
}

function parseStatsSocket(s: Stmt): StatsSocketModel | null {
  const addr = s.need(2, 'a path or an address');
  if (addr === null) return null;
  let sock: Mutable<StatsSocketModel>;
  if (addr.startsWith('/') || addr.startsWith('unix@')) {
    const path = addr.startsWith('unix@') ? addr.slice(5) : addr;
    sock = { kind: 'unix', path, host: null, port: null, mode: null, level: 'operator', origin: s.origin };
  } else {
    const hp = splitHostPort(addr);
    if (hp.prefix !== null && hp.prefix !== 'ipv4' && hp.prefix !== 'ipv6') {
      s.alert(2, `stats socket address family '${hp.prefix}@' is not supported by sluice yet.`);
      return null;
    }
    if (hp.port === null) {
      s.alert(2, `stats socket '${addr}' : missing port (expects a path, or host:port).`);
      return null;
    }
    const port = s.value(2, 'stats socket', parsePort(hp.port));
    if (port === null) return null;
    const host = hp.host === '' || hp.host === '*' ? (hp.prefix === 'ipv6' ? '::' : '0.0.0.0') : hp.host;
    if (isIP(host) === 0) {
      s.alert(2, `stats socket '${addr}' : invalid address '${host}' (expects a numeric address).`);
      return null;
    }
    sock = { kind: 'tcp', path: null, host, port, mode: null, level: 'operator', origin: s.origin };
  }
  let ok = true;
  for (let i = 3; i < s.args.length; i += 2) {
    const opt = s.args[i];
    const v = s.args[i + 1];
    if (opt === 'expose-fd' && v === 'listeners') {
      s.notice(i, "'expose-fd listeners' is not needed by sluice: reloads hand over sockets by themselves.");
      continue;
    }
    if (opt !== 'mode' && opt !== 'level') {
      s.alert(i, `stats socket option '${opt}' is not supported by sluice yet.`);
      ok = false;
      continue;
    }
    if (v === undefined) {
      s.alert(i, `'stats socket' option '${opt}' expects a value.`);
      ok = false;
    } else if (opt === 'mode') {
      if (/^[0-7]{1,4}$/.test(v)) sock.mode = parseInt(v, 8);
      else {
        s.alert(i + 1, `'stats socket' mode expects an octal file mode, got '${v}'.`);
        ok = false;
      }
    } else if ((LEVELS as readonly string[]).includes(v)) sock.level = v as StatsLevel;
    else {
      s.alert(i + 1, `'level' only supports 'user', 'operator', and 'admin', got '${v}'.`);
      ok = false;
    }
  }
  return ok ? sock : null;
}

function globalStatement(s: Stmt, g: Mutable<GlobalModel>): void {
  const kw = s.kw;
  const arg = s.args[1];
  switch (kw) {
    case 'maxconn': {
      const v = s.need(1, 'an integer argument');
      const n = v === null ? null : s.value(1, kw, parseIntArg(v, 1, 2 ** 31 - 1));
      if (n !== null && s.noMore(2)) g.maxconn = n;
      return;
    }
    case 'nbthread': {
      const v = s.need(1, 'an integer argument');
      const n = v === null ? null : s.value(1, kw, parseIntArg(v, 1, 4096));
      if (n !== null && s.noMore(2)) g.nbthread = n;
      return;
    }
    case 'pidfile':
    case 'user':
    case 'group': {
      const v = s.need(1, kw === 'pidfile' ? 'a file name' : 'a name');
      if (v === null || !s.noMore(2)) return;
      if (kw === 'pidfile') g.pidfile = v;
      else if (kw === 'user') g.user = v;
      else g.group = v;
      return;
    }
    case 'hard-stop-after': {
      const v = s.need(1, 'a time');
      const t = v === null ? null : s.value(1, kw, parseTime(v));
      if (t !== null && s.noMore(2)) g.hardStopAfter = t;
      return;
    }
    case 'tune.bufsize': {
      const v = s.need(1, 'a size');
      const n = v === null ? null : s.value(1, kw, parseSize(v));
      if (n !== null && n < 1024) s.alert(1, `'tune.bufsize' must be at least 1024 bytes.`);
      else if (n !== null && s.noMore(2)) g.tune = { ...g.tune, bufsize: n };
      return;
    }
    case 'tune.http.maxhdr': {
      const v = s.need(1, 'an integer argument');
      const n = v === null ? null : s.value(1, kw, parseIntArg(v, 1, 32767));
      if (n !== null && s.noMore(2)) g.tune = { ...g.tune, maxhdr: n };
      return;
    }
    case 'log': {
      if (arg === 'global') {
        s.alert(1, "'log global' is only valid in proxy sections.");
        return;
      }
      const t = parseLog(s, 1);
      if (t !== null) g.logs = [...g.logs, t];
      return;
    }
    case 'stats':
      if (arg === 'socket') {
        const sock = parseStatsSocket(s);
        if (sock !== null) g.statsSockets = [...g.statsSockets, sock];
      } else if (arg === 'timeout') {
        const v = s.need(2, 'a time');
        const t = v === null ? null : s.value(2, 'stats timeout', parseTime(v));
        if (t !== null && s.noMore(3)) g.statsTimeout = t;
      } else if (arg === undefined) {
        s.alert(0, "'stats' expects 'socket' or 'timeout'.");
      } else {
        s.alert(1, `'stats ${arg}' is not supported by sluice yet.`);
      }
      return;
    case 'server-state-file':
    case 'server-state-base': {
      const v = s.need(1, kw === 'server-state-file' ? 'a file name' : 'a directory name');
      if (v === null || !s.noMore(2)) return;
      if (kw === 'server-state-file') g.serverStateFile = v;
      else g.serverStateBase = v;
      return;
    }
    case 'insecure-run-as-root':
      // checked by the primary before forking (primary/run-as-root.ts)
      if (s.noMore(1)) g.insecureRunAsRoot = true;
      return;
    case 'daemon':
      s.noMore(1);
      s.notice(0, "'daemon' ignored: sluice always runs in the foreground as a master-worker.");
      return;
    case 'master-worker':
      return;
    default:
      if (UNSUPPORTED_GLOBAL_KEYWORDS.has(kw) || kw.startsWith('tune.') || kw.startsWith('ssl-')) {
        s.alert(0, `'${kw}' is not supported by sluice yet.`);
        return;
      }
      s.alert(0, `unknown keyword '${kw}' in 'global' section${didYouMean(kw, GLOBAL_KEYWORDS)}`);
  }
}

export function compileGlobal(sections: readonly SectionNode[], diags: Diagnostics): Mutable<GlobalModel> {
  const g = defaultGlobal();
  for (const sec of sections) {
    if (sec.kind !== 'global') continue;
    for (const st of sec.body) globalStatement(new Stmt(st, diags), g);
  }
  // resolved once every global line is known: `server-state-base` may come after the file
  if (g.serverStateFile !== undefined && g.serverStateFile !== null) {
    g.serverStateFile = resolveStatePath(g.serverStateBase ?? null, g.serverStateFile);
  }
  return g;
}
