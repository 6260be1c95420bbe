// The default access-log line (no `option httplog`/`tcplog`/`log-format`): one JSON object, keys
// named after HAProxy's log-format variables. Built by concatenation, not JSON.stringify on an
// object: strings are the only values that need escaping, and only those from the client do.
import { isoUtc } from './dates';
import type { LogEntry } from './entry';

const q = JSON.stringify;

export function httpJson(e: LogEntry): string {
  const ex = e.ex;
  const r = ex === null ? '' : ex.method + ' ' + ex.url + ' HTTP/' + ex.version;
  return (
    `{"t":"${isoUtc(e.date)}","ci":${q(e.ci)},"cp":${e.cp},"ft":${q(e.ft)},"b":${q(e.b)},"s":${q(e.s)}` +
    `,"Tq":${e.TR},"Tw":${e.Tw},"Tc":${e.Tc},"Tr":${e.Tr},"Ta":${e.Ta},"Tt":${e.Tt}` +
    `,"ST":${e.ST},"B":${e.B},"U":${e.U},"tsc":"${e.ts}--"` +
    `,"ac":${e.ac},"fc":${e.fc},"bc":${e.bc},"sc":${e.sc},"rc":${e.rc},"sq":${e.sq},"bq":${e.bq}` +
    `,"r":${q(r)}}`
  );
}

export function tcpJson(e: LogEntry): string {
  return (
    `{"t":"${isoUtc(e.date)}","ci":${q(e.ci)},"cp":${e.cp},"ft":${q(e.ft)},"b":${q(e.b)},"s":${q(e.s)}` +
    `,"Tw":${e.Tw},"Tc":${e.Tc},"Tt":${e.Tt},"B":${e.B},"U":${e.U},"ts":"${e.ts}"` +
    `,"ac":${e.ac},"fc":${e.fc},"bc":${e.bc},"sc":${e.sc},"rc":${e.rc},"sq":${e.sq},"bq":${e.bq}}`
  );
}
