// The health-check options of `server` / `default-server` lines: agent-check and its settings,
// passive observation (observe, error-limit, on-error) and on-marked-down/up. Kept apart from
// server.ts so the address and balancing options stay readable there.
import { isIP } from 'node:net';
import { DEFAULT_ERROR_LIMIT, DEFAULT_ON_ERROR, type OnErrorAction, type ServerModel } from '../model';
import { parseIntArg, parsePort, parseTime } from '../units';
import type { ServerDefaults } from './draft';
import type { Stmt } from './stmt';

export const HEALTH_OPTIONS: readonly string[] = [
  'agent-port',
  'agent-inter',
  'agent-send',
  'agent-addr',
  'observe',
  'error-limit',
  'on-error',
  'on-marked-down',
  'on-marked-up',
];

const ON_ERROR: readonly OnErrorAction[] = ['fastinter', 'fail-check', 'sudden-death', 'mark-down'];

/** HAProxy's agent-send takes the usual backslash escapes (\n, \r, \t, \\) */
function unescape(v: string): string {
  return v.replace(/\\([nrt\\])/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : '\\',
  );
}

/** parses one valued option (its value at args[i]); false when invalid (already alerted) */
export function parseHealthOption(s: Stmt, i: number, opt: string, v: string, o: ServerDefaults): boolean {
  let n: number | null;
  switch (opt) {
    case 'agent-port':
      n = s.value(i, opt, parsePort(v));
      if (n !== null) o.agentPort = n;
      return n !== null;
    case 'agent-inter':
      n = s.value(i, opt, parseTime(v));
      if (n === 0) s.alert(i, `'${opt}' must be greater than 0.`);
      if (n === null || n === 0) return false;
      o.agentInter = n;
      return true;
    case 'agent-send':
      o.agentSend = unescape(v);
      return true;
    case 'agent-addr':
      if (isIP(v) === 0) {
        s.alert(i, `'agent-addr' expects an IPv4 or IPv6 address, got '${v}'.`);
        return false;
      }
      o.agentAddr = v;
      return true;
    case 'observe':
      if (v !== 'layer4' && v !== 'layer7') {
        s.alert(i, `'observe' expects one of 'none', 'layer4', 'layer7' but got '${v}'.`);
        return false;
      }
      o.observe = v;
      return true;
    case 'error-limit':
      n = s.value(i, opt, parseIntArg(v, 1, 2 ** 31 - 1));
      if (n !== null) o.errorLimit = n;
      return n !== null;
    case 'on-error': {
      const a = ON_ERROR.find((x) => x === v);
      if (a === undefined) {
        s.alert(i, `'on-error' expects one of '${ON_ERROR.join("', '")}' but got '${v}'.`);
        return false;
      }
      o.onError = a;
      return true;
    }
    case 'on-marked-down':
      if (v !== 'shutdown-sessions') {
        s.alert(i, `'on-marked-down' expects 'shutdown-sessions' but got '${v}'.`);
        return false;
      }
      o.onMarkedDown = v;
      return true;
    case 'on-marked-up':
      if (v !== 'shutdown-backup-sessions') {
        s.alert(i, `'on-marked-up' expects 'shutdown-backup-sessions' but got '${v}'.`);
        return false;
      }
      o.onMarkedUp = v;
      return true;
  }
  return false;
}

type HealthFields = Pick<
  ServerModel,
  'agent' | 'observe' | 'errorLimit' | 'onError' | 'onMarkedDown' | 'onMarkedUp'
>;

/** the Model fields these options compile to; an agent needs both agent-check and agent-port */
export function healthServerFields(o: ServerDefaults, inter: number, _port: number): HealthFields {
  const agent =
    o.agentCheck === true && o.agentPort !== undefined
      ? {
          port: o.agentPort,
          inter: o.agentInter ?? inter,
          send: o.agentSend ?? null,
          addr: o.agentAddr ?? null,
        }
      : null;
  return {
    agent,
    observe: o.observe ?? null,
    errorLimit: o.errorLimit ?? DEFAULT_ERROR_LIMIT,
    onError: o.onError ?? DEFAULT_ON_ERROR,
    onMarkedDown: o.onMarkedDown ?? null,
    onMarkedUp: o.onMarkedUp ?? null,
  };
}
