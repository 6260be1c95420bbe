// HAProxy's server-state format, version 1: what `show servers state` prints and what the
// server-state file holds (a version line, a `#` header naming the columns, one line per server).
// One writer for both, so a dump taken through the socket and the file sluice writes on stop are
// the same bytes, and HAProxy tooling reads either.
import type { CheckStatusCode } from '../check-status';
import type { ServerStatus } from '../types';

export const STATE_FILE_VERSION = 1;

export const STATE_COLUMNS = [
  'be_id', 'be_name', 'srv_id', 'srv_name', 'srv_addr', 'srv_op_state', 'srv_admin_state',
  'srv_uweight', 'srv_iweight', 'srv_time_since_last_change', 'srv_check_status',
  'srv_check_result', 'srv_check_health', 'srv_check_state', 'srv_agent_state', 'bk_f_forced_id',
  'srv_f_forced_id', 'srv_fqdn', 'srv_port', 'srvrecord', 'srv_use_ssl', 'srv_check_port',
  'srv_check_addr', 'srv_agent_addr', 'srv_agent_port',
] as const; // prettier-ignore

/** HAProxy's SRV_STATE_FILE_MIN_FIELDS_VERSION_1: the optional columns start at srv_use_ssl */
export const STATE_MIN_FIELDS = 20;

/** enum srv_state */
export const OP = { STOPPED: 0, STARTING: 1, RUNNING: 2, STOPPING: 3 } as const;

/** enum srv_admin: the flags a state file may carry (inherited ones are dropped on load) */
export const ADMF = { FMAINT: 0x01, CMAINT: 0x04, FDRAIN: 0x08, RMAINT: 0x20 } as const;

/** CHK_ST_* flags of srv_check_state / srv_agent_state */
export const CHK_ST = {
  INPROGRESS: 0x01,
  CONFIGURED: 0x02,
  ENABLED: 0x04,
  PAUSED: 0x08,
  AGENT: 0x10,
} as const;

/** enum chk_result */
export const CHK_RES = { UNKNOWN: 0, NEUTRAL: 1, FAILED: 2, PASSED: 3, CONDPASS: 4 } as const;

/** HAProxy's HCHK_STATUS_* numbering (HCHK_STATUS_SIZE bounds what a file may say) */
export const CHECK_STATUS_NUMBER: Readonly<Record<string, number>> = {
  UNK: 0, INI: 1, HANA: 4, SOCKERR: 5, L4OK: 6, L4TOUT: 7, L4CON: 8, L6OK: 9, L6TOUT: 10, L6RSP: 11,
  L7TOUT: 12, L7RSP: 13, L7OK: 14, L7OKC: 15, L7STS: 16, PROCERR: 17, PROCTOUT: 18, PROCOK: 19,
}; // prettier-ignore
export const CHECK_STATUS_SIZE = 20;

/** the check statuses sluice's checks produce, by number, for restoring them */
export function checkStatusFromNumber(n: number): CheckStatusCode | null {
  for (const [name, v] of Object.entries(CHECK_STATUS_NUMBER)) {
    if (v === n && isSluiceStatus(name)) return name;
  }
  return null;
}

function isSluiceStatus(name: string): name is CheckStatusCode {
  return ['INI', 'L4OK', 'L4TOUT', 'L4CON', 'L7OK', 'L7OKC', 'L7TOUT', 'L7RSP', 'L7STS', 'SOCKERR'].includes(
    name,
  );
}

function adminFlags(s: ServerStatus): number {
  // `disabled` in the config is CMAINT|FMAINT in HAProxy; `set server ... state ready` on such a
  // server clears FMAINT only, which is how a reload tells "still disabled" from "enabled by hand"
  const cmaint = s.configDisabled === true ? ADMF.CMAINT : 0;
  // resolution MAINT is recomputed by every startup; the loader ignores the flag
  if (s.status === 'MAINT (resolution)') return cmaint | ADMF.RMAINT;
  if (s.admin === 'MAINT') return cmaint | ADMF.FMAINT;
  if (s.admin === 'DRAIN') return cmaint | ADMF.FDRAIN;
  return cmaint;
}

function checkFlags(configured: boolean, enabled: boolean, agent: boolean): number {
  if (!configured) return 0;
  return CHK_ST.CONFIGURED | (enabled ? CHK_ST.ENABLED : 0) | (agent ? CHK_ST.AGENT : 0);
}

/** one server's line, without the trailing newline */
export function stateLine(s: ServerStatus, now: number): string {
  const checkConfigured = s.checkStatus !== '';
  const result = !checkConfigured ? CHK_RES.UNKNOWN : s.oper === 'UP' ? CHK_RES.PASSED : CHK_RES.FAILED;
  return [
    s.backendId,
    s.backend,
    s.serverId,
    s.server,
    s.host,
    s.oper === 'DOWN' ? OP.STOPPED : s.status.startsWith('NOLB') ? OP.STOPPING : OP.RUNNING,
    adminFlags(s),
    s.weight,
    s.initialWeight,
    Math.max(0, Math.floor((now - s.lastChange) / 1000)),
    CHECK_STATUS_NUMBER[s.checkStatus] ?? 0,
    result,
    s.checkHealth ?? 0,
    checkFlags(checkConfigured, s.checkEnabled, false),
    checkFlags(s.agentConfigured ?? s.agentEnabled, s.agentEnabled, true),
    0,
    0,
    '-',
    s.port,
    '-',
    0,
    0,
    '-',
    '-',
    0,
  ].join(' ');
}

/** the whole document: version line, header, one line per server */
export function formatServersState(servers: readonly ServerStatus[], now: number): string {
  const lines = servers.map((s) => stateLine(s, now) + '\n').join('');
  return `${STATE_FILE_VERSION}\n# ${STATE_COLUMNS.join(' ')}\n${lines}`;
}
