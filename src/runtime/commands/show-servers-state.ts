// show servers state [<backend>]: HAProxy's format version 1 (the server-state-file format).
import type { ServerStatus } from '../../health/types';
import type { CommandRegistry } from '../registry';

const HEADER =
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight ' +
  'srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state ' +
  'srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl ' +
  'srv_check_port srv_check_addr srv_agent_addr srv_agent_port';

/** HAProxy's HCHK_STATUS_* numbering */
const CHECK_STATUS: Readonly<Record<string, number>> = {
  UNK: 0, HANA: 1, INI: 2, SOCKERR: 5, L4OK: 6, L4TOUT: 7, L4CON: 8, L6OK: 9, L6TOUT: 10, L6RSP: 11,
  L7TOUT: 12, L7RSP: 13, L7OK: 14, L7OKC: 15, L7STS: 16, PROCERR: 17, PROCTOUT: 18, PROCOK: 19,
}; // prettier-ignore

function row(s: ServerStatus, configMaint: boolean, now: number): string {
  const op = s.oper === 'UP' ? 2 : 0;
  const admin = s.admin === 'MAINT' ? (configMaint ? 0x04 : 0x01) : s.admin === 'DRAIN' ? 0x08 : 0;
  const checkState = s.checkEnabled ? 0x06 : 0;
  const result = s.checkStatus === '' ? 0 : s.oper === 'UP' ? 3 : 2;
  return [
    s.backendId,
    s.backend,
    s.serverId,
    s.server,
    s.host,
    op,
    admin,
    s.weight,
    s.initialWeight,
    Math.max(0, Math.floor((now - s.lastChange) / 1000)),
    CHECK_STATUS[s.checkStatus] ?? 0,
    result,
    0,
    checkState,
    s.agentEnabled ? 0x06 : 0,
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

export function registerServersState(r: CommandRegistry): void {
  r.register({
    words: ['show', 'servers', 'state'],
    usage: 'show servers state [<backend>] : dump volatile server information (all or for a single backend)',
    level: 'user',
    run: ({ args, rt }) => {
      const name = args[0];
      if (name !== undefined && !rt.model.backends.some((b) => b.name === name))
        return "Can't find backend.\n";
      const now = Date.now();
      const disabled = new Set<string>();
      for (const b of rt.model.backends)
        for (const s of b.servers) if (s.disabled) disabled.add(`${b.name}/${s.name}`);
      const lines = rt
        .servers()
        .filter((s) => name === undefined || s.backend === name)
        .map((s) => row(s, disabled.has(`${s.backend}/${s.server}`), now));
      return `1\n${HEADER}\n${lines.map((l) => l + '\n').join('')}`;
    },
  });
}
