// HAProxy's Prometheus exporter (addons/promex) rendered with prom-client from the counters summed
// over every worker: the same metric names, labels and `code`/`state` label values, so existing
// dashboards and alerts keep working. A fresh registry per scrape: the values are exact sums at
// scrape time, not accumulated in the primary.
import { Counter, Gauge, Registry } from 'prom-client';
import type { ServerStatus } from '../health/types';
import type { Counters } from '../stats';
import type { AggregateStats } from '../stats';
import { countersOf, serverIsUp } from '../stats';
import type { Model } from '../config/model';

export interface ExporterSources {
  readonly model: Model;
  readonly stats: AggregateStats;
  readonly servers: readonly ServerStatus[];
  readonly version: string;
  readonly startedAt: number;
  readonly maxconn: number;
}

type Labels = Record<string, string>;
const CODES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
const SERVER_STATES = ['DOWN', 'UP', 'MAINT', 'DRAIN', 'NOLB'] as const;
const CHECK_STATES = ['HANA', 'SOCKERR', 'L4OK', 'L4TOUT', 'L4CON', 'L6OK', 'L6TOUT', 'L6RSP', 'L7OK', 'L7OKC', 'L7TOUT', 'L7RSP', 'L7STS', 'PROCERR', 'PROCTOUT', 'PROCOK'] as const; // prettier-ignore

class Builder {
  readonly registry = new Registry();
  private readonly gauges = new Map<string, Gauge>();
  private readonly counters = new Map<string, Counter>();

  gauge(name: string, help: string, labels: Labels, v: number): void {
    let g = this.gauges.get(name);
    if (g === undefined) {
      g = new Gauge({ name, help, labelNames: Object.keys(labels), registers: [this.registry] });
      this.gauges.set(name, g);
    }
    g.set(labels, v);
  }

  counter(name: string, help: string, labels: Labels, v: number): void {
    let c = this.counters.get(name);
    if (c === undefined) {
      c = new Counter({ name, help, labelNames: Object.keys(labels), registers: [this.registry] });
      this.counters.set(name, c);
    }
    c.inc(labels, Math.max(0, v));
  }
}

function avgSeconds(sum: number, n: number): number {
  return n === 0 ? 0 : sum / n / 1000;
}

function common(
  b: Builder,
  scope: 'frontend' | 'backend' | 'server',
  l: Labels,
  c: Counters,
  http: boolean,
): void {
  const p = `haproxy_${scope}_`;
  b.gauge(`${p}current_sessions`, 'Number of current sessions.', l, c.scur);
  b.gauge(`${p}max_sessions`, 'Maximum observed number of active sessions.', l, c.smax);
  b.counter(`${p}sessions_total`, 'Total number of sessions.', l, c.stot);
  b.counter(`${p}bytes_in_total`, 'Current total of incoming bytes.', l, c.bin);
  b.counter(`${p}bytes_out_total`, 'Current total of outgoing bytes.', l, c.bout);
  if (!http) return;
  for (const code of CODES) {
    b.counter(
      `${p}http_responses_total`,
      'Total number of HTTP responses.',
      { ...l, code },
      c[`hrsp_${code}`],
    );
  }
}

function backendLike(b: Builder, scope: 'backend' | 'server', l: Labels, c: Counters): void {
  const p = `haproxy_${scope}_`;
  b.gauge(`${p}current_queue`, 'Number of current queued connections.', l, c.qcur);
  b.gauge(`${p}max_queue`, 'Maximum observed number of queued connections.', l, c.qmax);
  b.counter(`${p}connection_errors_total`, 'Total number of connection errors.', l, c.econ);
  b.counter(`${p}response_errors_total`, 'Total number of response errors.', l, c.eresp);
  b.counter(`${p}retry_warnings_total`, 'Total number of retry warnings.', l, c.wretr);
  b.counter(`${p}redispatch_warnings_total`, 'Total number of redispatch warnings.', l, c.wredis);
  b.counter(
    `${p}client_aborts_total`,
    'Total number of data transfers aborted by the client.',
    l,
    c.cli_abrt,
  );
  b.counter(
    `${p}server_aborts_total`,
    'Total number of data transfers aborted by the server.',
    l,
    c.srv_abrt,
  );
  b.counter(`${p}loadbalanced_total`, 'Total number of times a service was selected.', l, c.lbtot);
  b.gauge(
    `${p}queue_time_average_seconds`,
    'Avg. queue time for last 1024 successful connections.',
    l,
    avgSeconds(c.qtime_sum, c.timed),
  );
  b.gauge(
    `${p}connect_time_average_seconds`,
    'Avg. connect time for last 1024 successful connections.',
    l,
    avgSeconds(c.ctime_sum, c.timed),
  );
  b.gauge(
    `${p}response_time_average_seconds`,
    'Avg. response time for last 1024 successful connections.',
    l,
    avgSeconds(c.rtime_sum, c.timed),
  );
  b.gauge(
    `${p}total_time_average_seconds`,
    'Avg. total time for last 1024 successful connections.',
    l,
    avgSeconds(c.ttime_sum, c.timed),
  );
  const last = c.lastsess > 0 ? Math.floor((Date.now() - c.lastsess) / 1000) : -1;
  b.gauge(
    `${p}last_session_seconds`,
    'Number of seconds since last session assigned to server/backend.',
    l,
    last,
  );
}

function serverState(s: ServerStatus): (typeof SERVER_STATES)[number] {
  if (s.admin === 'MAINT') return 'MAINT';
  if (s.oper === 'DOWN') return 'DOWN';
  if (s.admin === 'DRAIN') return 'DRAIN';
  return 'UP';
}

export async function renderPrometheus(src: ExporterSources): Promise<{ contentType: string; body: string }> {
  const b = new Builder();
  const { model, stats } = src;
  b.gauge('haproxy_process_build_info', 'Build info', { version: src.version }, 1);
  b.gauge(
    'haproxy_process_nbthread',
    'Number of started threads (sluice: worker processes).',
    {},
    stats.workers.length,
  );
  b.gauge(
    'haproxy_process_start_time_seconds',
    'Start time in seconds.',
    {},
    Math.floor(src.startedAt / 1000),
  );
  b.gauge('haproxy_process_max_connections', 'Maximum number of concurrent connections.', {}, src.maxconn);
  b.gauge('haproxy_process_current_connections', 'Number of active sessions.', {}, stats.currConns);
  b.counter('haproxy_process_requests_total', 'Total number of requests (TCP or HTTP).', {}, stats.cumReq);
  let rss = 0;
  for (const w of stats.workers) rss += w.memory.rss;
  b.gauge(
    'haproxy_process_resident_memory_bytes',
    'Resident memory of the worker processes (sluice).',
    {},
    rss,
  );
  for (const fe of model.frontends) {
    const c = countersOf(stats.frontends, fe.name);
    const l = { proxy: fe.name };
    b.gauge('haproxy_frontend_status', 'Current status of the service.', { ...l, state: 'UP' }, 1);
    common(b, 'frontend', l, c, fe.mode === 'http');
    b.counter('haproxy_frontend_requests_denied_total', 'Total number of denied requests.', l, c.dreq);
    b.counter('haproxy_frontend_request_errors_total', 'Total number of request errors.', l, c.ereq);
    if (fe.mode === 'http')
      b.counter(
        'haproxy_frontend_http_requests_total',
        'Total number of HTTP requests received.',
        l,
        c.req_tot,
      );
  }
  for (const be of model.backends) {
    const c = countersOf(stats.backends, be.name);
    const l = { proxy: be.name };
    const servers = src.servers.filter((s) => s.backend === be.name);
    const active = servers.filter((s) => !s.backup && serverIsUp(s) && s.admin === 'READY');
    const backup = servers.filter((s) => s.backup && serverIsUp(s) && s.admin === 'READY');
    const up = active.length + backup.length > 0;
    for (const state of ['DOWN', 'UP'] as const)
      b.gauge(
        'haproxy_backend_status',
        'Current status of the service.',
        { ...l, state },
        (state === 'UP') === up ? 1 : 0,
      );
    common(b, 'backend', l, c, be.mode === 'http');
    backendLike(b, 'backend', l, c);
    b.gauge(
      'haproxy_backend_weight',
      'Service weight.',
      l,
      active.reduce((n, s) => n + s.effectiveWeight, 0),
    );
    b.gauge('haproxy_backend_active_servers', 'Current number of active servers.', l, active.length);
    b.gauge('haproxy_backend_backup_servers', 'Current number of backup servers.', l, backup.length);
    b.counter('haproxy_backend_requests_denied_total', 'Total number of denied requests.', l, c.dreq);
    if (be.mode === 'http')
      b.counter(
        'haproxy_backend_http_requests_total',
        'Total number of HTTP requests received.',
        l,
        c.req_tot,
      );
    for (const s of servers) {
      const sc = countersOf(stats.servers, `${be.name}/${s.server}`);
      const sl = { proxy: be.name, server: s.server };
      const st = serverState(s);
      for (const state of SERVER_STATES)
        b.gauge(
          'haproxy_server_status',
          'Current status of the service.',
          { ...sl, state },
          state === st ? 1 : 0,
        );
      common(b, 'server', sl, sc, be.mode === 'http');
      backendLike(b, 'server', sl, sc);
      b.gauge('haproxy_server_weight', 'Service weight.', sl, s.effectiveWeight);
      b.gauge('haproxy_server_uweight', "Server's user weight.", sl, s.weight);
      b.counter(
        'haproxy_server_check_failures_total',
        'Total number of failed check (Only when the server is up).',
        sl,
        s.chkfail,
      );
      b.counter('haproxy_server_check_up_down_total', 'Total number of UP->DOWN transitions.', sl, s.chkdown);
      b.counter(
        'haproxy_server_downtime_seconds_total',
        'Total downtime (in seconds) for the service.',
        sl,
        Math.floor(s.downtimeMs / 1000),
      );
      b.gauge(
        'haproxy_server_last_status_change_seconds',
        'Number of seconds since the last UP<->DOWN transition.',
        sl,
        Math.max(0, Math.floor((Date.now() - s.lastChange) / 1000)),
      );
      b.gauge(
        'haproxy_server_current_throttle',
        'Current throttle percentage for the server, when slowstart is active.',
        sl,
        s.throttle ?? 100,
      );
      if (s.checkEnabled && s.checkStatus !== '') {
        for (const state of CHECK_STATES)
          b.gauge(
            'haproxy_server_check_status',
            'Status of last health check.',
            { ...sl, state },
            s.checkStatus === state ? 1 : 0,
          );
        if (s.checkDurationMs !== null)
          b.gauge(
            'haproxy_server_check_duration_seconds',
            'Total duration of the latest server health check, in seconds.',
            sl,
            s.checkDurationMs / 1000,
          );
      }
    }
  }
  return { contentType: b.registry.contentType, body: await b.registry.metrics() };
}
