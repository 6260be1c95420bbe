// The `%` variables of HAProxy's log-format (configuration manual §8.2.6) that sluice can fill.
// Each yields its final text; values that carry client bytes are escaped here (escapeLog).
import { hostname } from 'node:os';
import { escapeLog } from './escape';
import { gmtDate, localDate, logDate } from './dates';
import type { LogEntry } from './entry';
import type { Exchange } from '../http/exchange';

/** `str` values may be quoted with %{+Q}; `none` always expands to nothing (captures) */
export type VarType = 'num' | 'str' | 'none';

export interface LogVar {
  readonly type: VarType;
  readonly get: (e: LogEntry) => string;
}

const num = (get: (e: LogEntry) => number): LogVar => ({ type: 'num', get: (e) => String(get(e)) });
const str = (get: (e: LogEntry) => string): LogVar => ({ type: 'str', get });
const NONE: LogVar = { type: 'none', get: () => '' };
const DASH: LogVar = { type: 'str', get: () => '-' };

const HOST = hostname();
const PID = String(process.pid);

/** the request line as HAProxy logs it; "<BADREQ>" where there is no request (TCP) */
function requestLine(e: LogEntry): string {
  const ex = e.ex;
  if (!e.http || ex === null) return '<BADREQ>';
  return escapeLog(ex.method + ' ' + ex.url + ' HTTP/' + ex.version);
}

function httpOnly(get: (ex: Exchange) => string): LogVar {
  return str((e) => (e.http && e.ex !== null ? get(e.ex) : '-'));
}

const path = (u: string): string => {
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

export const LOG_VARS: Readonly<Record<string, LogVar>> = {
  ci: str((e) => e.ci || '-'),
  cp: num((e) => e.cp),
  fp: num((e) => e.fp),
  f: str((e) => e.ft),
  // '~' marks TLS frontends; sluice has none yet
  ft: str((e) => e.ft),
  b: str((e) => e.b),
  s: str((e) => e.s),
  si: str((e) => e.si || '-'),
  sp: num((e) => e.sp),
  t: str((e) => logDate(e.date)),
  tr: str((e) => logDate(e.date)),
  T: str((e) => gmtDate(e.date)),
  trg: str((e) => gmtDate(e.date)),
  Tl: str((e) => localDate(e.date)),
  trl: str((e) => localDate(e.date)),
  Ts: num((e) => Math.floor(e.date / 1000)),
  ms: str((e) => String(e.date % 1000).padStart(3, '0')),
  Tq: num((e) => e.TR),
  TR: num((e) => e.TR),
  Th: num(() => 0),
  Ti: num(() => 0),
  Tw: num((e) => e.Tw),
  Tc: num((e) => e.Tc),
  Tr: num((e) => e.Tr),
  Ta: num((e) => e.Ta),
  Tt: num((e) => e.Tt),
  Td: num((e) => (e.Tr < 0 || e.Tc < 0 || e.Tw < 0 ? -1 : e.Tt - (Math.max(0, e.TR) + e.Tw + e.Tc + e.Tr))),
  ST: num((e) => e.ST),
  B: num((e) => e.B),
  U: num((e) => e.U),
  ts: str((e) => e.ts),
  // cookie persistence is not supported: its two letters are always "--"
  tsc: str((e) => e.ts + '--'),
  ac: num((e) => e.ac),
  fc: num((e) => e.fc),
  bc: num((e) => e.bc),
  sc: num((e) => e.sc),
  rc: str((e) => (e.redispatched ? '+' : '') + e.rc),
  sq: num((e) => e.sq),
  bq: num((e) => e.bq),
  r: str(requestLine),
  HM: httpOnly((ex) => escapeLog(ex.method)),
  HU: httpOnly((ex) => escapeLog(ex.url)),
  HP: httpOnly((ex) => escapeLog(path(ex.url))),
  HPO: httpOnly((ex) => escapeLog(path(ex.url))),
  HQ: httpOnly((ex) => {
    const q = ex.url.indexOf('?');
    return q < 0 ? '' : escapeLog(ex.url.slice(q));
  }),
  HV: httpOnly((ex) => 'HTTP/' + ex.version),
  H: str(() => HOST),
  pid: str(() => PID),
  // request/response captures (`capture`) are not supported: cookies print "-", headers nothing
  CC: DASH,
  CS: DASH,
  hr: NONE,
  hs: NONE,
  hrl: NONE,
  hsl: NONE,
};
