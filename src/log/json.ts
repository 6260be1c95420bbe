// The default access-log line (no `option httplog`/`tcplog`/`log-format`): one JSON object, keys
// named after HAProxy's log-format variables. Built by concatenation, not JSON.stringify on an
// object: strings are the only values that need escaping, and only those from the client do.
import { isoUtc } from './dates';
import type { LogEntry } from './entry';
import type { Exchange } from '../http/exchange';

/**
 * The JSON string literal of `s` in ASCII only. JSON.stringify escapes control characters, the
 * quote, the backslash and lone surrogates, but passes DEL and everything from U+0080 through raw:
 * a client could put bytes into the log that a terminal, a log shipper or a non-UTF-8 reader
 * misreads (text lines '#XX'-encode them). Here they become \uXXXX (a surrogate pair as two
 * escapes), so the line still parses back to exactly `s`. Nearly every value is plain ASCII: one
 * scan, then the JSON.stringify result as is.
 */
export function jsonAscii(s: string): string {
  return ascii(s) ? JSON.stringify(s) : escapeRaw(JSON.stringify(s));
}

/** nothing from DEL up: measured cheaper on the input than on JSON.stringify's output */
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x7f) return false;
  return true;
}

/** every escape JSON.stringify writes is ASCII: what is >= 0x7f in `j` is a raw character */
function escapeRaw(j: string): string {
  let out = '';
  for (let i = 0; i < j.length; i++) {
    const c = j.charCodeAt(i);
    out += c < 0x7f ? j[i] : '\\u' + c.toString(16).padStart(4, '0');
  }
  return out;
}

// addresses and proxy/server names are ASCII by construction (names: HAProxy's invalid_char rule)
const q = JSON.stringify;

/** `"METHOD target HTTP/x.y"`, ASCII only. The method and the target are scanned apart: their
 *  concatenation is a rope, slower to scan (+150 ns a line against +50 ns, measured). */
function requestJson(ex: Exchange): string {
  const j = JSON.stringify(ex.method + ' ' + ex.url + ' HTTP/' + ex.version);
  return ascii(ex.method) && ascii(ex.url) ? j : escapeRaw(j);
}

export function httpJson(e: LogEntry): string {
  const ex = e.ex;
  return (
    `{"t":"${isoUtc(e.date)}","ci":${q(e.ci)},"cp":${e.cp},"ft":${q(e.ft)},"b":${q(e.b)},"s":${q(e.s)}` +
    `,"Tq":${e.TR},"Tw":${e.Tw},"Tc":${e.Tc},"Tr":${e.Tr},"Ta":${e.Ta},"Tt":${e.Tt}` +
    `,"ST":${e.ST},"B":${e.B},"U":${e.U},"tsc":"${e.ts}--"` +
    `,"ac":${e.ac},"fc":${e.fc},"bc":${e.bc},"sc":${e.sc},"rc":${e.rc},"sq":${e.sq},"bq":${e.bq}` +
    `,"r":${ex === null ? '"<BADREQ>"' : requestJson(ex)}}`
  );
}

export function tcpJson(e: LogEntry): string {
  return (
    `{"t":"${isoUtc(e.date)}","ci":${q(e.ci)},"cp":${e.cp},"ft":${q(e.ft)},"b":${q(e.b)},"s":${q(e.s)}` +
    `,"Tw":${e.Tw},"Tc":${e.Tc},"Tt":${e.Tt},"B":${e.B},"U":${e.U},"ts":"${e.ts}"` +
    `,"ac":${e.ac},"fc":${e.fc},"bc":${e.bc},"sc":${e.sc},"rc":${e.rc},"sq":${e.sq},"bq":${e.bq}}`
  );
}
