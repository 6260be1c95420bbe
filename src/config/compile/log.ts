// `log <target> [len <n>] [format <fmt>] <facility> [<level> [<minlevel>]]`, shared by `global`
// and proxies. The target forms are HAProxy's: stdout/stderr, a path (a UNIX syslog socket such as
// /dev/log), `udp@host[:port]`, `host[:port]` (UDP, port 514 by default).
import { isIP } from 'node:net';
import type { LogFormatKind, LogTarget } from '../model';
import { didYouMean } from '../diagnostics';
import { parseIntArg, parsePort, splitHostPort } from '../units';
import type { Stmt } from './stmt';

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'auth2',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'cron2',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const FORMATS: readonly LogFormatKind[] = [
  'raw',
  'rfc3164',
  'rfc5424',
  'json',
  'short',
  'iso',
  'local',
  'timed',
];
const DEFAULT_SYSLOG_PORT = 514;
/** HAProxy's default maximum log line length */
const DEFAULT_LOG_LEN = 1024;

type Where = Pick<LogTarget, 'kind' | 'host' | 'port' | 'path'>;

function parseTarget(s: Stmt, i: number, target: string): Where | null {
  if (target === 'stdout' || target === 'fd@1') return { kind: 'stdout', host: null, port: null, path: null };
  if (target === 'stderr' || target === 'fd@2') return { kind: 'stderr', host: null, port: null, path: null };
  if (target.startsWith('/') || target.startsWith('unix@')) {
    const path = target.startsWith('unix@') ? target.slice(5) : target;
    return { kind: 'file', host: null, port: null, path };
  }
  const hp = splitHostPort(target);
  if (hp.prefix !== null && !['udp', 'udp4', 'udp6', 'ipv4', 'ipv6'].includes(hp.prefix)) {
    s.alert(i, `log target '${target}': address family '${hp.prefix}@' is not supported by sluice yet.`);
    return null;
  }
  if (hp.host === '' || (isIP(hp.host) === 0 && !/^[A-Za-z0-9.-]+$/.test(hp.host))) {
    s.alert(i, `log target '${target}': invalid address.`);
    return null;
  }
  let port = DEFAULT_SYSLOG_PORT;
  if (hp.port !== null) {
    const p = s.value(i, 'log', parsePort(hp.port));
    if (p === null) return null;
    port = p;
  }
  return { kind: 'udp', host: hp.host, port, path: null };
}

/** Parses a log line whose target is s.args[i]. */
export function parseLog(s: Stmt, i: number): LogTarget | null {
  const target = s.need(i, 'a log target (stdout, stderr, a path or an address)');
  if (target === null) return null;
  const where = parseTarget(s, i, target);
  let format: LogFormatKind = 'rfc3164';
  let len = DEFAULT_LOG_LEN;
  let j = i + 1;
  let ok = where !== null;
  for (;;) {
    const a = s.args[j];
    if (a === 'len') {
      const v = s.need(j + 1, 'a length');
      const n = v === null ? null : s.value(j + 1, 'log len', parseIntArg(v, 80, 65535));
      if (n === null) ok = false;
      else len = n;
      j += 2;
    } else if (a === 'format') {
      const v = s.need(j + 1, 'a format name');
      if (v !== null && (FORMATS as readonly string[]).includes(v)) format = v as LogFormatKind;
      else {
        if (v !== null) s.alert(j + 1, `unknown log format '${v}'${didYouMean(v, FORMATS)}.`);
        ok = false;
      }
      j += 2;
    } else if (a === 'sample' || a === 'profile') {
      s.alert(j, `log option '${a}' is not supported by sluice yet.`);
      ok = false;
      j += 2;
    } else break;
  }
  const facility = s.need(j, 'a syslog facility');
  if (facility === null) return null;
  if (!FACILITIES.includes(facility)) {
    s.alert(j, `unknown log facility '${facility}'${didYouMean(facility, FACILITIES)}.`);
    return null;
  }
  const level = s.args[j + 1] ?? null;
  const minLevel = s.args[j + 2] ?? null;
  for (const [k, lv] of [
    [j + 1, level],
    [j + 2, minLevel],
  ] as const) {
    if (lv !== null && !LEVELS.includes(lv)) {
      s.alert(k, `unknown optional log level '${lv}'${didYouMean(lv, LEVELS)}.`);
      ok = false;
    }
  }
  if (!s.noMore(j + 3) || !ok || where === null) return null;
  return { target, ...where, format, facility, level, minLevel, len, origin: s.origin };
}
