// `show stat` columns: HAProxy's names in HAProxy's order (management guide §9.1). The order is a
// contract with existing tooling: columns sluice cannot fill stay empty, never removed or moved.
export const STAT_FIELDS = [
  'pxname', 'svname', 'qcur', 'qmax', 'scur', 'smax', 'slim', 'stot', 'bin', 'bout',
  'dreq', 'dresp', 'ereq', 'econ', 'eresp', 'wretr', 'wredis', 'status', 'weight', 'act',
  'bck', 'chkfail', 'chkdown', 'lastchg', 'downtime', 'qlimit', 'pid', 'iid', 'sid', 'throttle',
  'lbtot', 'tracked', 'type', 'rate', 'rate_lim', 'rate_max', 'check_status', 'check_code', 'check_duration', 'hrsp_1xx',
  'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'hanafail', 'req_rate', 'req_rate_max', 'req_tot', 'cli_abrt',
  'srv_abrt', 'comp_in', 'comp_out', 'comp_byp', 'comp_rsp', 'lastsess', 'last_chk', 'last_agt', 'qtime', 'ctime',
  'rtime', 'ttime', 'agent_status', 'agent_code', 'agent_duration', 'check_desc', 'agent_desc', 'check_rise', 'check_fall', 'check_health',
  'agent_rise', 'agent_fall', 'agent_health', 'addr', 'cookie', 'mode', 'algo', 'conn_rate', 'conn_rate_max', 'conn_tot',
  'intercepted', 'dcon', 'dses', 'wrew', 'connect', 'reuse', 'cache_lookups', 'cache_hits', 'srv_icur', 'src_ilim',
  'qtime_max', 'ctime_max', 'rtime_max', 'ttime_max', 'eint', 'idle_conn_cur', 'safe_conn_cur', 'used_conn_cur', 'need_conn_est', 'uweight',
  'agg_server_status', 'agg_server_check_status', 'agg_check_status', 'srid', 'sess_other', 'h1sess', 'h2sess', 'h3sess', 'req_other', 'h1req',
  'h2req', 'h3req', 'proto',
] as const; // prettier-ignore

export type StatField = (typeof STAT_FIELDS)[number];

/** One line of `show stat`: only the fields sluice knows; the others print empty. */
export type StatRow = Partial<Record<StatField, string | number>>;

/** HAProxy's `type` column values */
export const TYPE_FRONTEND = 0;
export const TYPE_BACKEND = 1;
export const TYPE_SERVER = 2;

/** CSV quoting: text with a comma, quote or newline is double-quoted, quotes doubled */
function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `# ${STAT_FIELDS.join(',')},\n`;
}

export function csvLine(row: StatRow): string {
  let out = '';
  for (const f of STAT_FIELDS) out += csvCell(row[f]) + ',';
  return out + '\n';
}

/** HAProxy's typed-output type of a field: numbers are counters/gauges, the rest text */
function typedValue(v: string | number): string {
  if (typeof v === 'number') return `${Number.isInteger(v) && v >= 0 ? 'u64' : 's64'}:${Math.trunc(v)}`;
  return `str:${v}`;
}

/** `show stat typed`: `<type>.<iid>.<sid>.<pos>.<name>.<proc>:<origin><nature><scope>:<type>:<value>` */
export function typedLines(row: StatRow): string {
  const t = row.type === TYPE_FRONTEND ? 'F' : row.type === TYPE_BACKEND ? 'B' : 'S';
  const iid = row.iid ?? 0;
  const sid = row.sid ?? 0;
  let out = '';
  STAT_FIELDS.forEach((f, pos) => {
    const v = row[f];
    if (v === undefined || v === '') return;
    const nature =
      typeof v === 'number'
        ? f.endsWith('max')
          ? 'M'
          : f.startsWith('s') || f.startsWith('q')
            ? 'G'
            : 'C'
        : 'O';
    out += `${t}.${iid}.${sid}.${pos}.${f}.1:M${nature}P:${typedValue(v)}\n`;
  });
  return out;
}

/** `show stat json`: one array per row of {objType, proxyId, id, field: {pos, name}, value: {type, value}} */
export function jsonRows(rows: readonly StatRow[]): unknown[] {
  return rows.map((row) => {
    const objType =
      row.type === TYPE_FRONTEND ? 'Frontend' : row.type === TYPE_BACKEND ? 'Backend' : 'Server';
    const out: unknown[] = [];
    STAT_FIELDS.forEach((f, pos) => {
      const v = row[f];
      if (v === undefined || v === '') return;
      out.push({
        objType,
        proxyId: row.iid ?? 0,
        id: row.sid ?? 0,
        field: { pos, name: f },
        processNum: 1,
        tags: { origin: 'Metric', nature: 'Counter', scope: 'Process' },
        value: typeof v === 'number' ? { type: 'u64', value: v } : { type: 'str', value: v },
      });
    });
    return out;
  });
}
