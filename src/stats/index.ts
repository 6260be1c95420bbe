// Statistics: counters kept by each worker, their snapshots, and the sums the primary makes of them.
export { StatsCollector } from './collector';
export {
  COUNTER_NAMES,
  addCounters,
  newCounters,
  statusClass,
  type CounterName,
  type Counters,
} from './counters';
export {
  aggregate,
  countersOf,
  type AggregateStats,
  type MemoryFigures,
  type WorkerSnapshot,
} from './snapshot';
export {
  STAT_FIELDS,
  TYPE_BACKEND,
  TYPE_FRONTEND,
  TYPE_SERVER,
  csvHeader,
  csvLine,
  jsonRows,
  typedLines,
  type StatField,
  type StatRow,
} from './fields';
export { buildRows, serverIsUp, statusesFromModel, type RowSources } from './rows';
export { WorkerStatsAgent, type RuntimeLimits } from './worker-agent';
export { compileServices, type ServiceHook } from './http-service';
export { renderStatsPage, escapeHtml, serverClass, type StatsPageInput } from './page-html';
export { LiveFrontends, type LiveFrontend } from './live-frontends';
