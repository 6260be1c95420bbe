// The HTML stats page, laid out as HAProxy's (stats-html.c): process information with the state
// legend, then one table per proxy (frontend row, server rows, backend row) over the same rows as
// `show stat`. Server rows carry HAProxy's state classes (active_up, backup_down, maintain, ...)
// and colours, so habits and user styles made for HAProxy's page keep working. Every name comes
// from the configuration or the runtime API and is HTML-escaped.
import type { StatRow } from './fields';
import { TYPE_BACKEND, TYPE_FRONTEND, TYPE_SERVER } from './fields';
import { PAGE_STYLE } from './page-style';

export interface StatsPageInput {
  readonly rows: readonly StatRow[];
  /** `stats uri`: links and the admin form point at it */
  readonly uri: string;
  /** seconds; 0 = no automatic refresh */
  readonly refreshSec: number;
  /** null with `stats hide-version` */
  readonly version: string | null;
  readonly pid: number;
  readonly uptimeSec: number;
  readonly workers: number;
  readonly maxconn: number;
  readonly currConns: number;
  /** `stats admin` matched: server rows get checkboxes and each backend an action form */
  readonly admin: boolean;
  /** `;up`: servers that are not up are left out */
  readonly hideDown: boolean;
  /** `;norefresh` */
  readonly noRefresh: boolean;
  /** the `;st=` code of the last admin action, or null */
  readonly status: string | null;
}

export function escapeHtml(s: string | number | undefined): string {
  if (s === undefined) return '';
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** HAProxy's row class of a server: <active|backup>_<state>, or maintain */
export function serverClass(row: StatRow): string {
  const st = typeof row.status === 'string' ? row.status : '';
  if (st.startsWith('MAINT')) return 'maintain';
  const side = row.bck === 1 ? 'backup' : 'active';
  let state: string;
  if (st === 'no check') state = 'no_check';
  else if (st.startsWith('DRAIN')) state = 'draining';
  else if (st.startsWith('NOLB')) state = 'nolb';
  else if (st.startsWith('UP ')) state = 'going_down';
  else if (st.startsWith('DOWN ')) state = 'going_up';
  else if (st.startsWith('UP')) state = 'up';
  else state = 'down';
  return `${side}_${state}`;
}

function duration(sec: number): string {
  if (sec < 0) return '';
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

const num = (v: string | number | undefined): string => (v === undefined ? '' : escapeHtml(v));
const td = (v: string | number | undefined, cls = ''): string =>
  `<td${cls === '' ? '' : ` class="${cls}"`}>${num(v)}</td>`;

const STATUS_TEXT: Readonly<Record<string, [string, string]>> = {
  DONE: ['active_up', 'Action processed successfully.'],
  PART: ['active_going_down', 'Action partially processed.'],
  NONE: ['active_going_down', 'Nothing has changed.'],
  ERRP: ['active_down', 'Action not processed because of invalid parameters.'],
  EXCD: ['active_down', 'Action not processed: the request body was too large.'],
  DENY: ['active_down', 'Action denied.'],
};

function header(): string {
  return (
    '<tr class="titre"><th rowspan="2"></th><th colspan="3">Queue</th><th colspan="6">Sessions</th>' +
    '<th colspan="2">Bytes</th><th colspan="2">Denied</th><th colspan="3">Errors</th>' +
    '<th colspan="2">Warnings</th><th colspan="8">Server</th></tr>\n' +
    '<tr class="titre"><th>Cur</th><th>Max</th><th>Limit</th>' +
    '<th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th>' +
    '<th>In</th><th>Out</th><th>Req</th><th>Resp</th><th>Req</th><th>Conn</th><th>Resp</th>' +
    '<th>Retr</th><th>Redis</th><th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th>' +
    '<th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th></tr>\n'
  );
}

function frontendRow(r: StatRow): string {
  return (
    `<tr class="frontend"><td class="ac">Frontend</td>${td('')}${td('')}${td('')}` +
    `${td(r.scur)}${td(r.smax)}${td(r.slim)}${td(r.stot)}${td('')}${td('')}` +
    `${td(r.bin)}${td(r.bout)}${td(r.dreq)}${td(r.dresp)}${td(r.ereq)}${td('')}${td('')}` +
    `${td('')}${td('')}${td(r.status, 'ac')}<td colspan="7"></td></tr>\n`
  );
}

function serverRow(r: StatRow, pxname: string, admin: boolean): string {
  const name = escapeHtml(r.svname);
  const anchor = escapeHtml(`${pxname}/${String(r.svname)}`);
  const box = admin ? `<input type="checkbox" name="s" value="${name}"> ` : '';
  const lastchg = typeof r.lastchg === 'number' ? duration(r.lastchg) : '';
  const status = r.status === 'no check' ? 'no check' : `${lastchg} ${String(r.status)}`;
  const took = typeof r.check_duration === 'number' ? ` in ${r.check_duration}ms` : '';
  const chk =
    r.check_status === undefined
      ? ''
      : `${String(r.check_status)}${r.check_code === '' ? '' : `/${String(r.check_code)}`}${took}`;
  const last = typeof r.lastsess === 'number' ? duration(r.lastsess) : '';
  return (
    `<tr class="${serverClass(r)}"><td class="ac">${box}<a name="${anchor}"></a>` +
    `<a class="lfsb" href="#${anchor}">${name}</a></td>` +
    `${td(r.qcur)}${td(r.qmax)}${td(r.qlimit)}${td(r.scur)}${td(r.smax)}${td(r.slim)}` +
    `${td(r.stot)}${td(r.lbtot)}${td(last)}${td(r.bin)}${td(r.bout)}${td('')}${td(r.dresp)}` +
    `${td('')}${td(r.econ)}${td(r.eresp)}${td(r.wretr)}${td(r.wredis)}` +
    `${td(status, 'ac')}${td(chk, 'ac')}${td(r.weight, 'ac')}` +
    `${td(r.act === 1 ? 'Y' : '-', 'ac')}${td(r.bck === 1 ? 'Y' : '-', 'ac')}` +
    `${td(r.chkfail)}${td(r.chkdown)}${td(typeof r.downtime === 'number' ? duration(r.downtime) : '')}</tr>\n`
  );
}

function backendRow(r: StatRow): string {
  const last = typeof r.lastsess === 'number' ? duration(r.lastsess) : '';
  const lastchg = typeof r.lastchg === 'number' ? duration(r.lastchg) : '';
  return (
    `<tr class="backend"><td class="ac">Backend</td>${td(r.qcur)}${td(r.qmax)}${td('')}` +
    `${td(r.scur)}${td(r.smax)}${td(r.slim)}${td(r.stot)}${td(r.lbtot)}${td(last)}` +
    `${td(r.bin)}${td(r.bout)}${td(r.dreq)}${td(r.dresp)}${td('')}${td(r.econ)}${td(r.eresp)}` +
    `${td(r.wretr)}${td(r.wredis)}${td(`${lastchg} ${String(r.status)}`, 'ac')}${td('')}` +
    `${td(r.weight, 'ac')}${td(r.act, 'ac')}${td(r.bck, 'ac')}${td('')}${td(r.chkdown)}${td('')}</tr>\n`
  );
}

function adminForm(iid: number | string | undefined): string {
  return (
    '<div class="adm">Choose the action to perform on the checked servers : ' +
    '<select name="action"><option value="">Choose an action</option>' +
    '<option value="ready">Set state to READY</option><option value="drain">Set state to DRAIN</option>' +
    '<option value="maint">Set state to MAINT</option><option value="dhlth">Health: disable checks</option>' +
    '<option value="ehlth">Health: enable checks</option><option value="shutdown">Kill Sessions</option>' +
    `</select><input type="hidden" name="b" value="#${escapeHtml(iid)}">` +
    '<input type="submit" value="Apply"></div>\n'
  );
}

function proxyTable(name: string, rows: readonly StatRow[], input: StatsPageInput): string {
  const px = escapeHtml(name);
  const servers = rows.filter((r) => r.type === TYPE_SERVER);
  const admin = input.admin && servers.length > 0;
  let out = admin ? `<form method="post" action="${escapeHtml(input.uri)}">` : '';
  out +=
    `<table class="tbl" width="100%"><tr class="titre"><th class="pxname" width="10%">` +
    `<a name="${px}"></a><a class="px" href="#${px}">${px}</a></th>` +
    `<th class="empty" width="90%"></th></tr></table>\n<table class="tbl" width="100%">\n${header()}`;
  for (const r of rows) if (r.type === TYPE_FRONTEND) out += frontendRow(r);
  for (const r of servers) {
    const st = String(r.status);
    if (input.hideDown && !st.startsWith('UP') && st !== 'no check' && !st.startsWith('DRAIN')) continue;
    out += serverRow(r, name, admin);
  }
  for (const r of rows) if (r.type === TYPE_BACKEND) out += backendRow(r);
  out += '</table>\n';
  if (admin) out += adminForm(servers[0]?.iid) + '</form>\n';
  return out + '<p>\n';
}

function legend(): string {
  const cell = (cls: string, text: string, span = 1): string =>
    `<td class="${cls}">&nbsp;</td><td class="noborder"${span > 1 ? ` colspan="${span}"` : ''}>${text}</td>`;
  return (
    '<table class="lgd">' +
    `<tr>${cell('active_up', 'active UP')}${cell('backup_up', 'backup UP')}</tr>` +
    `<tr>${cell('active_going_down', 'active UP, going down')}${cell('backup_going_down', 'backup UP, going down')}</tr>` +
    `<tr>${cell('active_going_up', 'active DOWN, going up')}${cell('backup_going_up', 'backup DOWN, going up')}</tr>` +
    `<tr>${cell('active_down', 'active or backup DOWN')}${cell('active_no_check', 'not checked')}</tr>` +
    `<tr>${cell('maintain', 'active or backup DOWN for maintenance (MAINT)', 3)}</tr>` +
    `<tr>${cell('active_draining', 'active or backup SOFT STOPPED for maintenance', 3)}</tr>` +
    '</table>Note: "NOLB"/"DRAIN" = UP with load-balancing disabled.'
  );
}

function link(input: StatsPageInput, suffix: string, text: string): string {
  return `<li><a href="${escapeHtml(input.uri + suffix)}">${text}</a></li>`;
}

function info(input: StatsPageInput): string {
  const up = input.uptimeSec;
  const uptime = `${Math.floor(up / 86400)}d ${Math.floor((up % 86400) / 3600)}h${String(Math.floor((up % 3600) / 60)).padStart(2, '0')}m${String(up % 60).padStart(2, '0')}s`;
  const keep = (input.hideDown ? ';up' : '') + (input.noRefresh ? ';norefresh' : '');
  const opts = [
    input.hideDown
      ? link(input, input.noRefresh ? ';norefresh' : '', 'Show all servers')
      : link(input, ';up' + (input.noRefresh ? ';norefresh' : ''), "Hide 'DOWN' servers"),
    ...(input.refreshSec > 0
      ? [
          input.noRefresh
            ? link(input, input.hideDown ? ';up' : '', 'Enable refresh')
            : link(input, (input.hideDown ? ';up' : '') + ';norefresh', 'Disable refresh'),
        ]
      : []),
    link(input, keep, 'Refresh now'),
    link(input, ';csv', 'CSV export'),
    link(input, ';json', 'JSON export'),
  ];
  return (
    '<h3>&gt; General process information</h3>\n<table border="0"><tr>' +
    `<td align="left" nowrap width="1%"><p><b>pid = </b> ${input.pid} (primary; workers = ${input.workers})<br>\n` +
    `<b>uptime = </b> ${uptime}<br>\n<b>maxconn = </b> ${input.maxconn}<br>\n` +
    `current conns = ${input.currConns}<br>\n</p></td>` +
    `<td align="center" nowrap>${legend()}</td>` +
    `<td align="left" valign="top" nowrap width="1%"><b>Display option:</b><ul>${opts.join('')}</ul></td>` +
    '</tr></table>\n'
  );
}

function statusBox(input: StatsPageInput): string {
  if (input.status === null) return '';
  const [cls, text] = STATUS_TEXT[input.status] ?? ['active_down', 'Unexpected result.'];
  return (
    `<p><div class="${cls}"><a class="lfsb" href="${escapeHtml(input.uri)}" title="Remove this message">[X]</a> ` +
    `${text}</div>\n`
  );
}

/** Proxies in declaration order (iid); a listen section's frontend and backend share a table. */
function byProxy(rows: readonly StatRow[]): [string, StatRow[]][] {
  const groups = new Map<string, { iid: number; rows: StatRow[] }>();
  for (const r of rows) {
    const name = String(r.pxname);
    let g = groups.get(name);
    if (g === undefined) {
      g = { iid: typeof r.iid === 'number' ? r.iid : 0, rows: [] };
      groups.set(name, g);
    }
    g.rows.push(r);
  }
  return [...groups].sort((a, b) => a[1].iid - b[1].iid).map(([n, g]) => [n, g.rows]);
}

export function renderStatsPage(input: StatsPageInput): string {
  const version = input.version === null ? '' : ` version ${escapeHtml(input.version)}`;
  const refresh =
    input.refreshSec > 0 && !input.noRefresh
      ? `<meta http-equiv="refresh" content="${input.refreshSec}">\n`
      : '';
  let out =
    '<!DOCTYPE html>\n<html><head><title>Statistics Report for sluice</title>\n' +
    `<meta http-equiv="content-type" content="text/html; charset=utf-8">\n${refresh}` +
    `<style type="text/css">\n${PAGE_STYLE}</style></head>\n<body>` +
    `<h1>sluice${version}</h1>\n<h2>Statistics Report for pid ${input.pid}</h2>\n` +
    '<hr width="100%" class="hr">\n' +
    info(input) +
    statusBox(input);
  for (const [name, rows] of byProxy(input.rows)) out += proxyTable(name, rows, input);
  return out + '</body></html>\n';
}
