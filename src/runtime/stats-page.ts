// The primary's side of the HTML stats page: the worker that received the request has matched
// `stats uri`, checked `stats auth` and evaluated `stats admin`; here the options after the URI
// (`;csv`, `;json`, `;up`, `;norefresh`, `;st=`) are read, admin POSTs applied (then redirected,
// as HAProxy does, so a reload does not post again) and the page rendered from every worker's
// counters.
import type { ServiceReply, ServiceRequest } from '../ipc';
import { buildRows, csvHeader, csvLine, jsonRows, renderStatsPage } from '../stats';
import type { RuntimeServices } from './services';
import { frontendMaxconn, serverMaxconn } from './services';
import { applyAdminForm } from './stats-admin';

const NO_CACHE = ['cache-control', 'no-cache'];

interface PageOptions {
  readonly csv: boolean;
  readonly json: boolean;
  readonly up: boolean;
  readonly noRefresh: boolean;
  readonly status: string | null;
}

function options(rest: string): PageOptions {
  const words = rest.split(';');
  const st = words.find((w) => w.startsWith('st='));
  const status =
    st === undefined
      ? null
      : st
          .slice(3)
          .replace(/[^A-Z]/g, '')
          .slice(0, 8);
  return {
    csv: words.includes('csv'),
    json: words.includes('json'),
    up: words.includes('up'),
    noRefresh: words.includes('norefresh'),
    status,
  };
}

function redirect(uri: string, code: string): ServiceReply {
  return { status: 303, headers: ['location', `${uri};st=${code}`, ...NO_CACHE], body: '' };
}

export async function renderStatsService(req: ServiceRequest, rt: RuntimeServices): Promise<ServiceReply> {
  const page = rt.model.frontends.find((f) => f.name === req.frontend)?.stats ?? null;
  if (page === null || !req.url.startsWith(page.uri)) {
    return { status: 404, headers: ['content-type', 'text/plain'], body: 'no stats page here\n' };
  }
  if (req.method === 'POST') {
    return redirect(page.uri, req.admin ? applyAdminForm(req.body, rt) : 'DENY');
  }
  const opt = options(req.url.slice(page.uri.length));
  // one collection for the rows and the process figures: they describe the same instant
  const stats = await rt.stats();
  const rows = buildRows({
    model: rt.model,
    stats,
    servers: rt.servers(),
    frontendMaxconn: (name) => frontendMaxconn(rt, name),
    serverMaxconn: (b, s, c) => serverMaxconn(rt, b, s, c),
    now: Date.now(),
  });
  if (opt.csv) {
    const body = csvHeader() + rows.map(csvLine).join('');
    return { status: 200, headers: ['content-type', 'text/plain', ...NO_CACHE], body };
  }
  if (opt.json) {
    const body = JSON.stringify(jsonRows(rows));
    return { status: 200, headers: ['content-type', 'application/json', ...NO_CACHE], body };
  }
  const body = renderStatsPage({
    rows,
    uri: page.uri,
    refreshSec: Math.ceil(page.refreshMs / 1000),
    version: page.hideVersion ? null : rt.version,
    pid: rt.pid,
    uptimeSec: Math.floor((Date.now() - rt.startedAt) / 1000),
    workers: stats.workers.length,
    maxconn: rt.limits.globalMaxconn,
    currConns: stats.currConns,
    admin: req.admin,
    hideDown: opt.up,
    noRefresh: opt.noRefresh,
    status: opt.status,
  });
  return { status: 200, headers: ['content-type', 'text/html; charset=utf-8', ...NO_CACHE], body };
}
