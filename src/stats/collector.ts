// A worker's statistics: counts every finished HTTP request (the HttpObserver hook) and TCP session
// (the TcpObserver hook) per frontend, backend and server, and reads live values (sessions,
// queues, the servers' own counters, which TCP sessions update too) when the primary asks for a
// snapshot.
import type { BackendRuntime } from '../backend';
import type { HttpObserver, HttpRequestRecord } from '../http/record';
import type { TcpObserver, TcpSessionRecord } from '../tcp/record';
import type { Counters } from './counters';
import { newCounters, resetCounters, statusClass } from './counters';
import type { LiveFrontends } from './live-frontends';
import type { WorkerSnapshot } from './snapshot';

/** Server counters the data path keeps in ServerRuntime.counters (they include TCP sessions). */
const SERVER_RUNTIME_FIELDS = ['stot', 'bin', 'bout', 'econ', 'eresp', 'wretr', 'wredis'] as const;

export class StatsCollector implements HttpObserver, TcpObserver {
  private readonly frontends = new Map<string, Counters>();
  private readonly backends = new Map<string, Counters>();
  private readonly servers = new Map<string, Counters>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly live: ReadonlyMap<string, BackendRuntime>,
    private readonly slot: number,
    private readonly liveFrontends: LiveFrontends | null = null,
  ) {}

  /** a TCP frontend's counters; its backend's and servers' come from the servers' own counters */
  onTcpSession(r: TcpSessionRecord): void {
    const fe = get(this.frontends, r.frontend);
    fe.stot++;
    fe.bin += r.bytesIn;
    fe.bout += r.bytesOut;
    fe.lastsess = r.acceptDate;
  }

  onHttpRequest(r: HttpRequestRecord): void {
    const fe = get(this.frontends, r.frontend);
    const cls = statusClass(r.status);
    const term = r.termination;
    const clientAbort = term[0] === 'C' || term[0] === 'c';
    const serverAbort = term[0] === 'S' && term[1] === 'D';
    fe.stot++;
    fe.req_tot++;
    fe.bin += r.bytesIn;
    fe.bout += r.bytesOut;
    fe[cls]++;
    fe.lastsess = r.acceptDate;
    if (term === 'PR' && r.status === 403) fe.dreq++;
    else if (term === 'PR' && r.status >= 400 && r.status < 500) fe.ereq++;
    // a request the front could not parse, whatever it answered (400, 431, 505, 408 on
    // `timeout http-request`): HAProxy's h1 mux counts each as a failed request
    else if (r.ex === null || r.clientError === true) fe.ereq++;
    if (r.backend === null) return;
    const be = get(this.backends, r.backend);
    be.stot++;
    be.req_tot++;
    be.bin += r.bytesIn;
    be.bout += r.bytesOut;
    be[cls]++;
    be.lastsess = r.acceptDate;
    if (term === 'PR' && r.status === 403) be.dreq++;
    if (clientAbort) be.cli_abrt++;
    if (serverAbort) be.srv_abrt++;
    if (r.tW >= 0 && r.tA >= 0) {
      be.timed++;
      be.qtime_sum += r.tW;
      be.ctime_sum += Math.max(0, r.tC);
      be.rtime_sum += Math.max(0, r.tr);
      be.ttime_sum += r.tA;
    }
    if (r.server === null) return;
    const srv = get(this.servers, `${r.backend}/${r.server}`);
    srv[cls]++;
    srv.lbtot++;
    srv.lastsess = r.acceptDate;
    if (clientAbort) srv.cli_abrt++;
    if (serverAbort) srv.srv_abrt++;
    if (r.tW >= 0 && r.tA >= 0) {
      srv.timed++;
      srv.qtime_sum += r.tW;
      srv.ctime_sum += Math.max(0, r.tC);
      srv.rtime_sum += Math.max(0, r.tr);
      srv.ttime_sum += r.tA;
    }
  }

  snapshot(): WorkerSnapshot {
    const backends: Record<string, Counters> = {};
    const servers: Record<string, Counters> = {};
    let currConns = 0;
    for (const [name, rt] of this.live) {
      const be = { ...get(this.backends, name) };
      const http = rt.model.mode === 'http';
      be.qcur = rt.queued;
      be.qmax = Math.max(be.qmax, rt.queued);
      for (const s of rt.servers) {
        const srv = { ...get(this.servers, `${name}/${s.name}`) };
        for (const f of SERVER_RUNTIME_FIELDS) srv[f] = s.counters[f];
        srv.scur = s.conns;
        srv.smax = Math.max(srv.smax, s.conns);
        if (!http) srv.lbtot = s.counters.stot;
        currConns += s.conns;
        be.scur += s.conns;
        be.econ += srv.econ;
        be.eresp += srv.eresp;
        be.wretr += srv.wretr;
        be.wredis += srv.wredis;
        be.lbtot += srv.lbtot;
        if (!http) {
          be.stot += srv.stot;
          be.bin += srv.bin;
          be.bout += srv.bout;
        }
        servers[`${name}/${s.name}`] = srv;
      }
      be.smax = Math.max(be.smax, be.scur);
      backends[name] = be;
    }
    const mem = process.memoryUsage();
    return {
      pid: process.pid,
      slot: this.slot,
      uptimeMs: Date.now() - this.startedAt,
      memory: {
        rss: mem.rss,
        heapTotal: mem.heapTotal,
        heapUsed: mem.heapUsed,
        external: mem.external,
        arrayBuffers: mem.arrayBuffers,
      },
      currConns,
      frontends: this.frontendSnapshot(),
      backends,
      servers,
    };
  }

  /** the counted figures plus the live ones (current sessions and their peak) */
  private frontendSnapshot(): Record<string, Counters> {
    const out: Record<string, Counters> = {};
    for (const [name, c] of this.frontends) out[name] = { ...c };
    for (const fe of this.liveFrontends?.all() ?? []) {
      out[fe.name] ??= newCounters();
      const c = out[fe.name] as Counters;
      c.scur += fe.active;
      c.smax = Math.max(c.smax, fe.peak);
    }
    return out;
  }

  /** `clear counters [all]`: peaks only, or everything including the servers' own counters. */
  clear(all: boolean): void {
    for (const fe of this.liveFrontends?.all() ?? []) fe.resetPeak();
    for (const m of [this.frontends, this.backends, this.servers]) {
      for (const c of m.values()) resetCounters(c, all);
    }
    if (!all) return;
    for (const rt of this.live.values()) {
      for (const s of rt.servers) for (const f of SERVER_RUNTIME_FIELDS) s.counters[f] = 0;
    }
  }
}

function get(m: Map<string, Counters>, key: string): Counters {
  let c = m.get(key);
  if (c === undefined) {
    c = newCounters();
    m.set(key, c);
  }
  return c;
}
