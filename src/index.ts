// The package's programmatic entry (package.json "main"): the CLI and the process model, plus the
// types needed to talk to workers. Each subsystem's own door stays its folder's index.ts.
export { main } from './cli/main';
export { parseArgs, USAGE, type CliOptions, type ParseResult } from './cli/args';
export { runPrimary, type PrimaryOptions } from './primary';
export type { FromWorker, ListenerInfo, ToWorker } from './ipc';
export type { Model } from './config/model';
