// Number formatting shared by the console, Markdown and SVG outputs.
import type { Metric, Spread } from '../results';

export interface Column {
  readonly metric: Metric;
  readonly label: string;
  /** lower is better (latency, CPU, memory) */
  readonly lowerBetter: boolean;
}

export const LOAD_COLUMNS: readonly Column[] = [
  { metric: 'rps', label: 'req/s', lowerBetter: false },
  { metric: 'mbps', label: 'MB/s', lowerBetter: false },
  { metric: 'p50Ms', label: 'p50 ms', lowerBetter: true },
  { metric: 'p99Ms', label: 'p99 ms', lowerBetter: true },
  { metric: 'p999Ms', label: 'p99.9 ms', lowerBetter: true },
  { metric: 'errors', label: 'errors', lowerBetter: true },
  { metric: 'cpuPct', label: 'CPU %', lowerBetter: true },
  { metric: 'rpsPerCore', label: 'req/s per core', lowerBetter: false },
  { metric: 'peakRssMiB', label: 'peak RSS MiB', lowerBetter: true },
];

export const IDLE_COLUMNS: readonly Column[] = [
  { metric: 'connections', label: 'idle conns', lowerBetter: false },
  { metric: 'rssBeforeMiB', label: 'worker RSS before MiB', lowerBetter: true },
  { metric: 'rssAfterMiB', label: 'worker RSS after MiB', lowerBetter: true },
  { metric: 'bytesPerConn', label: 'bytes/conn', lowerBetter: true },
  { metric: 'errors', label: 'failed+dropped', lowerBetter: true },
];

/** 3 significant figures, thousands grouped: 41 234, 812, 3.47, 0.0912 */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

/** "median (min–max)"; just the median when there was one run or no spread. */
export function spread(s: Spread | undefined): string {
  if (s === undefined) return '-';
  if (s.min === s.max) return num(s.median);
  return `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
}

export function times(r: number | null): string {
  if (r === null) return '-';
  // Two significant digits below 0.1 so that a tiny ratio does not print as 0.00×.
  return `${r < 0.1 ? r.toPrecision(2) : r.toFixed(2)}×`;
}
