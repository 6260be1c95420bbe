// The health subsystem's door. Primary side: the server state store, the active checks and the
// passive-observation intake, and the broadcast of states to workers. Worker side: applying those
// states, and reporting live-traffic outcomes back.
import type { Model } from '../config/model';
import type { Logger } from '../log';
import type { ServerStateUpdate } from '../ipc';
import type { ObserveEvent } from '../ipc';
import { StateBroadcaster } from './broadcast';
import { Checker } from './checker';
import { observe } from './passive';
import { SlowStartRamp } from './slowstart';
import { ServerStateStoreImpl } from './store';

export type { AdminState, OperState, ServerStatus, ServerStateStore } from './types';
export { ServerStateStoreImpl } from './store';
export { applyServerStates, type ServerDownHook, type ServerTransitionHooks } from './worker';
export { ObserveReporter } from './reporter';
export { CHECK_STATUS_TEXT, type CheckResult, type CheckStatusCode } from './check-status';
export { formatServersState } from './state-file/format';
export { parseStateFile, type ParsedStateFile, type StateLine } from './state-file/parse';
export { loadServerStates, type LoadReport } from './state-file/load';
export { saveServerStates } from './state-file/save';
export { INIT_ADDR_FAILED, initServerAddresses, type Lookup } from './init-addr';

export interface HealthOptions {
  readonly log?: Logger;
  readonly now?: () => number;
}

export function createServerStateStore(model: Model, opts: HealthOptions = {}): ServerStateStoreImpl {
  return new ServerStateStoreImpl(model, opts);
}

/** Everything the primary runs for health: the store, and the broadcast of its changes. */
export interface Health {
  readonly store: ServerStateStoreImpl;
  /** full state for a worker that just reported 'listening' */
  snapshot(): ServerStateUpdate[];
  /** starts the active checks */
  start(): void;
  /** passive observations from a worker */
  observe(events: readonly ObserveEvent[]): void;
  stop(): void;
}

export function startHealth(
  model: Model,
  broadcast: (updates: readonly ServerStateUpdate[]) => void,
  opts: HealthOptions = {},
): Health {
  const store = createServerStateStore(model, opts);
  const caster = new StateBroadcaster(store, broadcast);
  const checker = new Checker(store, opts.log);
  const ramp = new SlowStartRamp(store);
  return {
    store,
    start: () => checker.start(),
    snapshot: () => store.snapshot(),
    observe: (events) => observe(store, events, (s) => checker.reschedule(s)),
    stop: () => {
      checker.stop();
      ramp.stop();
      caster.flush();
    },
  };
}
