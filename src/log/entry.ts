// One access-log entry: HTTP request records and TCP session records in a single shape, so one
// set of compiled formats serves both. Each frontend logger reuses one entry (formatting is
// synchronous), so logging a request allocates no entry object.
import { Exchange } from '../http/exchange';
import type { HttpRequestRecord } from '../http/record';
import type { TcpSessionRecord } from '../tcp/record';
import type { BackendRuntime, ServerRuntime } from '../backend';

/** Live state the counters %ac %bc %sc %bq are read from, looked up by name. */
export interface LiveState {
  backend(name: string): BackendRuntime | undefined;
  server(backend: string, name: string): ServerRuntime | undefined;
}

/** HAProxy prints this for %s when no server was chosen */
export const NOSRV = '<NOSRV>';

export class LogEntry {
  http = true;
  /** the request (HTTP), or a stand-in carrying the peer (TCP) so %[src]-style samples work */
  ex: Exchange | null = null;
  ci = '';
  cp = 0;
  fp = 0;
  ft = '';
  b = '';
  s = NOSRV;
  si = '';
  sp = 0;
  /** accept date, ms since epoch */
  date = 0;
  TR = -1;
  Tw = -1;
  Tc = -1;
  Tr = -1;
  Ta = -1;
  Tt = -1;
  /** status sent to the client, -1 when none */
  ST = -1;
  /** bytes server → client */
  B = 0;
  /** bytes client → server */
  U = 0;
  ts = '--';
  rc = 0;
  redispatched = false;
  ac = 0;
  fc = 0;
  bc = 0;
  sc = 0;
  sq = 0;
  bq = 0;
}

/** %bc %sc %bq %si %sp from live state; this stream is counted, as HAProxy counts it at log time */
function fillLive(e: LogEntry, live: LiveState, backend: string | null, server: string | null): void {
  const be = backend === null ? undefined : live.backend(backend);
  const srv = be === undefined || server === null ? undefined : live.server(backend as string, server);
  let bc = 0;
  if (be !== undefined) {
    for (const s of be.servers) bc += s.conns;
    bc += be.queued + 1;
  }
  e.bc = bc;
  e.bq = be === undefined ? 0 : be.queued;
  e.sc = srv === undefined ? 0 : srv.conns + 1;
  e.si = srv === undefined ? '' : srv.model.host;
  e.sp = srv === undefined ? 0 : srv.model.port;
  e.sq = 0;
}

export function fillHttp(e: LogEntry, r: HttpRequestRecord, live: LiveState): void {
  const ex = r.ex;
  e.http = true;
  e.ex = ex;
  // no Exchange: a request the front rejected (%r prints <BADREQ>)
  const peer = ex ?? r.rejected;
  e.ci = peer?.src ?? '';
  e.cp = peer?.srcPort ?? 0;
  e.fp = peer?.dstPort ?? 0;
  e.ft = r.frontend;
  e.b = r.backend ?? r.frontend;
  e.s = r.server ?? NOSRV;
  e.date = r.acceptDate;
  e.TR = r.tR;
  e.Tw = r.tW;
  e.Tc = r.tC;
  e.Tr = r.tr;
  e.Ta = r.tA;
  // Tt = Th + Ti + Ta, and no handshake or idle time is measured (Th = Ti = 0)
  e.Tt = r.tA;
  e.ST = r.status === 0 ? -1 : r.status;
  e.B = r.bytesOut;
  e.U = r.bytesIn;
  e.ts = r.termination;
  e.rc = r.retries;
  e.redispatched = r.redispatched;
  fillLive(e, live, r.backend, r.server);
  e.fc = r.feConn ?? 1;
  e.ac = r.actConn ?? e.fc;
}

export function fillTcp(e: LogEntry, r: TcpSessionRecord, live: LiveState): void {
  e.http = false;
  e.ex = new Exchange('', '', '1.1', [], r.src, r.srcPort, r.dstPort, r.frontend, false);
  e.ci = r.src;
  e.cp = r.srcPort;
  e.fp = r.dstPort;
  e.ft = r.frontend;
  e.b = r.backend;
  e.s = r.server ?? NOSRV;
  e.date = r.acceptDate;
  e.TR = -1;
  e.Tw = r.tW;
  e.Tc = r.tC;
  e.Tr = -1;
  e.Ta = r.tT;
  e.Tt = r.tT;
  e.ST = -1;
  e.B = r.bytesOut;
  e.U = r.bytesIn;
  e.ts = r.termination;
  e.rc = r.retries;
  e.redispatched = r.redispatched;
  fillLive(e, live, r.backend, r.server);
  e.fc = r.feConn;
  // only the frontend's own count is known to the TCP listener
  e.ac = r.feConn;
}
