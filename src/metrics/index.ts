// Metrics: the Prometheus exporter, rendered by the primary from every worker's counters.
export { renderPrometheus, type ExporterSources } from './prometheus';
