// Builds the rows of `show stat` (and of the stats page and the exporter, which print the same
// figures) from the Model, the counters summed over workers, and the server states of the store.
import type { Model } from '../config/model';
import { CHECK_STATUS_TEXT } from '../health/check-status';
import type { ServerStatus } from '../health/types';
import type { Counters } from './counters';
import type { StatRow } from './fields';
import { TYPE_BACKEND, TYPE_FRONTEND, TYPE_SERVER } from './fields';
import type { AggregateStats } from './snapshot';
import { countersOf } from './snapshot';

/** Server states as the configuration alone says them (no store yet): a stand-in, never authoritative. */
export function statusesFromModel(model: Model, startedAt: number): ServerStatus[] {
  const out: ServerStatus[] = [];
  for (const b of model.backends) {
    for (const s of b.servers) {
      out.push({
        backend: b.name,
        backendId: b.id,
        server: s.name,
        serverId: s.id,
        host: s.host,
        port: s.port,
        backup: s.backup,
        admin: s.disabled ? 'MAINT' : 'READY',
        oper: 'UP',
        status: s.disabled ? 'MAINT' : s.check.enabled ? 'UP' : 'no check',
        weight: s.weight,
        initialWeight: s.weight,
        effectiveWeight: s.weight,
        checkEnabled: s.check.enabled,
        agentEnabled: false,
        checkStatus: '',
        checkCode: null,
        checkDurationMs: null,
        checkDesc: '',
        lastChange: startedAt,
        downtimeMs: 0,
        chkfail: 0,
        chkdown: 0,
      });
    }
  }
  return out;
}

/** The server takes new traffic (the same test the balancers apply) */
export function serverIsUp(s: ServerStatus): boolean {
  return s.oper === 'UP' && s.admin !== 'MAINT';
}

function since(ms: number, now: number): number {
  return ms > 0 ? Math.max(0, Math.floor((now - ms) / 1000)) : -1;
}

function timers(c: Counters): StatRow {
  if (c.timed === 0) return { qtime: 0, ctime: 0, rtime: 0, ttime: 0 };
  return {
    qtime: Math.round(c.qtime_sum / c.timed),
    ctime: Math.round(c.ctime_sum / c.timed),
    rtime: Math.round(c.rtime_sum / c.timed),
    ttime: Math.round(c.ttime_sum / c.timed),
  };
}

function http(c: Counters): StatRow {
  return {
    hrsp_1xx: c.hrsp_1xx,
    hrsp_2xx: c.hrsp_2xx,
    hrsp_3xx: c.hrsp_3xx,
    hrsp_4xx: c.hrsp_4xx,
    hrsp_5xx: c.hrsp_5xx,
    hrsp_other: c.hrsp_other,
  };
}

export interface RowSources {
  readonly model: Model;
  readonly stats: AggregateStats;
  readonly servers: readonly ServerStatus[];
  /** live maxconn values (runtime API may change them) */
  readonly frontendMaxconn: (name: string) => number;
  readonly serverMaxconn: (backend: string, server: string, configured: number) => number;
  readonly now: number;
}

export function buildRows(src: RowSources): StatRow[] {
  const { model, stats, now } = src;
  const rows: StatRow[] = [];
  const byBackend = new Map<string, ServerStatus[]>();
  for (const s of src.servers) {
    const list = byBackend.get(s.backend) ?? [];
    list.push(s);
    byBackend.set(s.backend, list);
  }
  for (const fe of model.frontends) {
    const c = countersOf(stats.frontends, fe.name);
    rows.push({
      pxname: fe.name,
      svname: 'FRONTEND',
      scur: c.scur,
      smax: c.smax,
      slim: src.frontendMaxconn(fe.name),
      stot: c.stot,
      bin: c.bin,
      bout: c.bout,
      dreq: c.dreq,
      dresp: c.dresp,
      ereq: c.ereq,
      status: 'OPEN',
      pid: 1,
      iid: fe.id,
      sid: 0,
      type: TYPE_FRONTEND,
      ...(fe.mode === 'http' ? { ...http(c), req_tot: c.req_tot } : {}),
      mode: fe.mode,
      conn_tot: c.stot,
    });
  }
  for (const be of model.backends) {
    const c = countersOf(stats.backends, be.name);
    const servers = byBackend.get(be.name) ?? [];
    let act = 0;
    let bck = 0;
    let weight = 0;
    let uweight = 0;
    let chkdown = 0;
    let lastchg = 0;
    for (const s of servers) {
      if (serverIsUp(s) && s.admin === 'READY') {
        if (s.backup) bck++;
        else {
          act++;
          weight += s.effectiveWeight;
          uweight += s.weight;
        }
      }
      chkdown += s.chkdown;
      lastchg = Math.max(lastchg, s.lastChange);
    }
    const up = act + bck > 0;
    for (const s of servers) {
      const sc = countersOf(stats.servers, `${be.name}/${s.server}`);
      const configured = be.servers.find((m) => m.name === s.server);
      const slim = src.serverMaxconn(be.name, s.server, configured?.maxconn ?? 0);
      const checked = s.checkEnabled && s.checkStatus !== '';
      rows.push({
        pxname: be.name,
        svname: s.server,
        qcur: sc.qcur,
        qmax: sc.qmax,
        scur: sc.scur,
        smax: sc.smax,
        slim: slim > 0 ? slim : '',
        stot: sc.stot,
        bin: sc.bin,
        bout: sc.bout,
        dresp: sc.dresp,
        econ: sc.econ,
        eresp: sc.eresp,
        wretr: sc.wretr,
        wredis: sc.wredis,
        status: s.status,
        weight: s.effectiveWeight,
        act: s.backup ? 0 : 1,
        bck: s.backup ? 1 : 0,
        chkfail: s.checkEnabled ? s.chkfail : '',
        chkdown: s.checkEnabled ? s.chkdown : '',
        lastchg: since(s.lastChange, now),
        downtime: s.checkEnabled ? Math.floor(s.downtimeMs / 1000) : '',
        throttle: s.throttle ?? '',
        qlimit: configured !== undefined && configured.maxqueue > 0 ? configured.maxqueue : '',
        pid: 1,
        iid: be.id,
        sid: s.serverId,
        lbtot: sc.lbtot,
        type: TYPE_SERVER,
        ...(checked
          ? {
              check_status: s.checkStatus,
              check_code: s.checkCode ?? '',
              check_duration: s.checkDurationMs ?? '',
            }
          : {}),
        ...(be.mode === 'http' ? http(sc) : {}),
        cli_abrt: sc.cli_abrt,
        srv_abrt: sc.srv_abrt,
        lastsess: since(sc.lastsess, now),
        last_chk: checked ? s.checkDesc : '',
        ...timers(sc),
        // HAProxy: check_desc describes the status, last_chk is the check's own text
        check_desc: checked ? (CHECK_STATUS_TEXT[s.checkStatus as keyof typeof CHECK_STATUS_TEXT] ?? '') : '',
        ...(configured !== undefined && s.checkEnabled
          ? {
              check_rise: configured.check.rise,
              check_fall: configured.check.fall,
              check_health: s.checkHealth ?? '',
            }
          : {}),
        addr: s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`,
        mode: be.mode,
        uweight: s.weight,
        srid: s.serverId,
      });
    }
    rows.push({
      pxname: be.name,
      svname: 'BACKEND',
      qcur: c.qcur,
      qmax: c.qmax,
      scur: c.scur,
      smax: c.smax,
      slim: '',
      stot: c.stot,
      bin: c.bin,
      bout: c.bout,
      dreq: c.dreq,
      dresp: c.dresp,
      econ: c.econ,
      eresp: c.eresp,
      wretr: c.wretr,
      wredis: c.wredis,
      status: up ? 'UP' : 'DOWN',
      weight,
      act,
      bck,
      chkdown,
      lastchg: since(lastchg, now),
      downtime: 0,
      pid: 1,
      iid: be.id,
      sid: 0,
      lbtot: c.lbtot,
      type: TYPE_BACKEND,
      ...(be.mode === 'http' ? { ...http(c), req_tot: c.req_tot } : {}),
      cli_abrt: c.cli_abrt,
      srv_abrt: c.srv_abrt,
      lastsess: since(c.lastsess, now),
      ...timers(c),
      mode: be.mode,
      algo: be.balance.algorithm,
      conn_tot: c.stot,
      uweight,
    });
  }
  return rows;
}
