// Applies one server-state line to the live record of the server with the same backend and server
// name, following HAProxy's rules (src/server_state.c): what the configuration changed since the
// file was written wins over what the file says.
import { isIP } from 'node:net';
import { DEFAULT_INIT_ADDR } from '../../config/model';
import type { ServerState } from '../server-state';
import { ADMF, CHK_ST, OP, checkStatusFromNumber } from './format';
import type { StateLine } from './parse';

export function applyStateLine(s: ServerState, l: StateLine, now: number): void {
  const oper = s.oper;
  applyOper(s, l);
  s.noteOper(oper, now);
  applyAdmin(s, l);
  // `set weight` survives only while the configured weight is the one it was set against
  if (l.iweight === s.initialWeight) s.weight = l.uweight;
  s.lastChange = now - l.secondsSinceChange * 1000;
  // checks or agents disabled through the socket stay disabled; enabling is left to the config
  if (s.model.check.enabled && configuredButOff(l.checkState)) s.checkEnabled = false;
  if (s.hasAgent && configuredButOff(l.agentState)) s.agentEnabled = false;
  applyAddress(s, l);
}

function configuredButOff(flags: number): boolean {
  return (flags & CHK_ST.CONFIGURED) !== 0 && (flags & CHK_ST.ENABLED) === 0;
}

/**
 * The health counter as HAProxy restores it. A server without checks has nothing that could
 * bring it back UP, so it stays UP whatever the file says.
 */
function applyOper(s: ServerState, l: StateLine): void {
  if (!s.model.check.enabled) return;
  const { rise, fall } = s;
  const top = rise + fall - 1;
  let h = l.checkHealth;
  switch (l.op) {
    case OP.STOPPED:
      h = 0;
      break;
    case OP.STARTING:
      if (rise === 1) h = top;
      else if (h < 1 || h >= rise) h = rise - 1;
      break;
    case OP.STOPPING:
      if (fall === 1) h = 0;
      else if (h < rise || h > top - 1) h = rise;
      break;
    default:
      h = top;
  }
  s.health = h;
  const status = checkStatusFromNumber(l.checkStatus);
  if (status !== null) s.checkStatus = status;
}

function applyAdmin(s: ServerState, l: StateLine): void {
  const fileC = (l.admin & ADMF.CMAINT) !== 0;
  const fileF = (l.admin & ADMF.FMAINT) !== 0;
  const cfgC = s.model.disabled;
  // a change of `disabled` in the configuration wins; otherwise the operator's state is kept
  if (fileC === cfgC) {
    if (fileF && !cfgC) s.admin = 'MAINT';
    else if (!fileF && cfgC) s.admin = 'READY';
  }
  // drain from a configured weight of 0 is dropped once the configuration gives a weight again
  if (s.admin !== 'MAINT' && (l.admin & ADMF.FDRAIN) !== 0 && (l.iweight > 0 || s.initialWeight === 0)) {
    s.admin = 'DRAIN';
  }
}

/**
 * HAProxy only takes the file's address for servers configured by name whose `init-addr` lists
 * `last` (the default); a server configured with an IP keeps it, so an edited configuration
 * always wins. The port goes with the address here: sluice writes the file on every stop, and a
 * port edited in the configuration must not be undone by the next start.
 */
function applyAddress(s: ServerState, l: StateLine): void {
  if (isIP(s.model.host) !== 0 || l.addr === '-' || l.addr === '') return;
  if (!(s.model.initAddr ?? DEFAULT_INIT_ADDR).includes('last')) return;
  const port = l.port !== null && l.port > 0 ? l.port : s.model.port;
  if (l.addr !== s.model.host || port !== s.model.port) s.model = { ...s.model, host: l.addr, port };
}
