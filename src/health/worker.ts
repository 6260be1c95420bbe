// The worker half of health: mirror the primary's server states into the BackendRuntime objects
// the balancers read. A worker never decides a server's health; it only applies what it is told.
import type { BackendRuntime, ServerRuntime } from '../backend';
import type { ServerStateUpdate } from '../ipc';
import type { Logger } from '../log';

/** Per-server hooks run on transitions (on-marked-down shutdown-sessions and the like). */
export type ServerDownHook = (backend: BackendRuntime, server: ServerRuntime) => void;

export interface ServerTransitionHooks {
  /** the server went from UP to DOWN */
  readonly onDown?: ServerDownHook;
  /** the server went from DOWN to UP */
  readonly onUp?: ServerDownHook;
}

export function applyServerStates(
  backends: ReadonlyMap<string, BackendRuntime>,
  updates: readonly ServerStateUpdate[],
  log?: Logger,
  hooks?: ServerTransitionHooks,
): void {
  const touched = new Set<BackendRuntime>();
  const transitions: [ServerDownHook, BackendRuntime, ServerRuntime][] = [];
  for (const u of updates) {
    const be = backends.get(u.backend);
    if (be === undefined) continue;
    let s = be.servers.find((x) => x.name === u.server && !x.removed);
    if (s === undefined) {
      if (u.deleted === true || u.model === undefined) {
        if (u.deleted !== true)
          log?.debug({ backend: u.backend, server: u.server }, 'state for unknown server ignored');
        continue;
      }
      s = be.addServer(u.model);
    }
    if (u.deleted === true) {
      s.removed = true;
      touched.add(be);
      continue;
    }
    const wasUp = s.oper === 'UP';
    s.admin = u.admin;
    s.oper = u.oper;
    s.weight = u.weight;
    s.throttle = u.throttle ?? 100;
    s.setAddress(u.host, u.port);
    touched.add(be);
    if (wasUp && u.oper === 'DOWN' && hooks?.onDown !== undefined) transitions.push([hooks.onDown, be, s]);
    if (!wasUp && u.oper === 'UP' && hooks?.onUp !== undefined) transitions.push([hooks.onUp, be, s]);
  }
  for (const be of touched) be.serversChanged();
  // after serversChanged(): sessions cut here release slots, and the queue must not see a stale
  // `usable` flag on the server that just went down
  for (const [hook, be, s] of transitions) hook(be, s);
}
