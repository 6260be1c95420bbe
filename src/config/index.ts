// The configuration language: HAProxy-style text in, validated immutable Model (or diagnostics)
// out. This file is the only door into src/config for the rest of sluice.
export { compileText, loadConfig } from './load';
export { formatCheckReport, formatDiagnostic } from './diagnostics';
export * from './model';
