export { runPrimary, serverStateStore, workerCount, type PrimaryOptions } from './primary';
export { probeBinds, formatAddress, type BindFailure } from './probe';
export { Backoff, RESPAWN_MIN_MS, RESPAWN_MAX_MS, RESPAWN_RESET_AFTER_MS } from './backoff';
