// How a log line is framed for its target (`log ... format <fmt>`): syslog headers with the
// priority computed from facility and level, or the bare line. Headers only change once a second,
// so they are cached per second.
import { hostname } from 'node:os';
import type { LogTarget } from '../config/model';
import { isoLocal, rfc3164Date } from './dates';
import { jsonAscii } from './json';

/** syslog facilities in code order: local0 is 16 */
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

/** HAProxy sends traffic logs at level info */
export const ACCESS_LOG_LEVEL = 6;

export const LOG_TAG = 'sluice';

/** null when the target's level filters out access logs; else the message's severity there */
export function accessSeverity(t: LogTarget): number | null {
  const max = t.level === null ? 7 : LEVELS.indexOf(t.level);
  if (ACCESS_LOG_LEVEL > max) return null;
  // minlevel raises the severity of messages less severe than it
  const min = t.minLevel === null ? 7 : LEVELS.indexOf(t.minLevel);
  return Math.min(ACCESS_LOG_LEVEL, min);
}

export function priority(t: LogTarget, severity: number): number {
  const f = FACILITIES.indexOf(t.facility);
  return (f < 0 ? 1 : f) * 8 + severity;
}

export type Framer = (msg: string, now: number) => string;

/** a header constant for a whole second */
function perSecondHeader(build: (now: number) => string): (now: number) => string {
  let sec = -1;
  let text = '';
  return (now) => {
    const s = Math.floor(now / 1000);
    if (s !== sec) {
      sec = s;
      text = build(now);
    }
    return text;
  };
}

/**
 * The framing function of a target; `json` says whether the message is already a JSON object.
 * `host` and `pid` are parameters so tests can pin them.
 */
export function framer(
  t: LogTarget,
  severity: number,
  json: boolean,
  host: string = hostname(),
  pid: number = process.pid,
): Framer {
  const pri = `<${priority(t, severity)}>`;
  const max = t.len ?? 1024;
  // A cut JSON line is no longer JSON: those stay whole (their one unbounded field, the request
  // line, is bounded by tune.bufsize).
  const cut = (line: string): string => (!json && line.length > max ? line.slice(0, max) : line);
  switch (t.format) {
    case 'raw':
      return (msg) => cut(msg);
    case 'json':
      if (json) return (msg) => msg;
      // a text line (httplog...) becomes a JSON object so the target stays one-JSON-per-line
      return (msg, now) =>
        `{"time":"${isoLocal(now)}","host":${jsonAscii(host)},"tag":"${LOG_TAG}","pid":${pid},"pri":${priority(t, severity)},"msg":${jsonAscii(msg)}}`;
    case 'short':
      return (msg) => cut(pri + msg);
    case 'timed': {
      const h = perSecondHeader((now) => `${pri}${rfc3164Date(now)} `);
      return (msg, now) => cut(h(now) + msg);
    }
    case 'iso':
      return (msg, now) => cut(isoLocal(now) + ' ' + msg);
    case 'local': {
      const h = perSecondHeader((now) => `${pri}${rfc3164Date(now)} ${LOG_TAG}[${pid}]: `);
      return (msg, now) => cut(h(now) + msg);
    }
    case 'rfc5424':
      return (msg, now) => cut(`${pri}1 ${isoLocal(now)} ${host} ${LOG_TAG} ${pid} - - ${msg}`);
    case 'rfc3164': {
      const h = perSecondHeader((now) => `${pri}${rfc3164Date(now)} ${host} ${LOG_TAG}[${pid}]: `);
      return (msg, now) => cut(h(now) + msg);
    }
  }
}
