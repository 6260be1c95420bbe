// The shape of a benchmark's results (also the JSON written to bench/results/) and the
// arithmetic on them: medians with their min-max spread, ratios to the ceiling and to HAProxy.
import type { BackendKind, ToolName } from './options';
import type { Headline } from './scenarios';
import type { TargetName } from './targets/types';

export type Metric =
  | 'rps'
  | 'rpsPerCore'
  | 'mbps'
  | 'p50Ms'
  | 'p99Ms'
  | 'p999Ms'
  | 'errors'
  | 'cpuPct'
  | 'peakRssMiB'
  | 'connections'
  | 'rssBeforeMiB'
  | 'rssAfterMiB'
  | 'bytesPerConn';

/** One run's figures; a metric is absent when it does not apply (no CPU% for the direct run). */
export type Sample = Partial<Record<Metric, number>>;

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface TargetResult {
  readonly target: TargetName;
  /** what produced these numbers: a load generator, or the idle scenario's node:net client */
  readonly tool: ToolName | 'node:net' | null;
  readonly runs: readonly Sample[];
  readonly stats: Partial<Record<Metric, Spread>>;
  /** why this target did not run (missing tool, unsupported config, failure) */
  readonly skipped?: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly measures: string;
  readonly kind: 'load' | 'idle';
  readonly headline: Headline;
  readonly connections: number;
  /** how this scenario deviated from its definition (e.g. access log off), for every target */
  readonly notes: readonly string[];
  readonly targets: readonly TargetResult[];
}

export interface BenchResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly smoke: boolean;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly kernel: string;
  };
  readonly placement: string;
  readonly backend: Exclude<BackendKind, 'auto'>;
  readonly tool: ToolName;
  readonly durationSec: number;
  readonly runsPerTarget: number;
  readonly versions: Readonly<Record<string, string>>;
  /** peers or tools that were asked for but are missing */
  readonly notes: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function spreads(runs: readonly Sample[]): Partial<Record<Metric, Spread>> {
  const out: Partial<Record<Metric, Spread>> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r) as Metric[]));
  for (const k of keys) {
    const xs = runs.map((r) => r[k]).filter((x): x is number => x !== undefined && Number.isFinite(x));
    if (xs.length > 0) out[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  }
  return out;
}

/** The headline metric's key. */
export function headlineMetric(h: Headline): Metric {
  return h === 'rps' ? 'rps' : h === 'mbps' ? 'mbps' : h === 'p99' ? 'p99Ms' : 'bytesPerConn';
}

/** value / reference for one metric, or null when either side is missing. */
export function ratio(s: ScenarioResult, target: TargetResult, ref: TargetName, m: Metric): number | null {
  const other = s.targets.find((t) => t.target === ref && t.skipped === undefined);
  const a = target.stats[m]?.median;
  const b = other?.stats[m]?.median;
  if (a === undefined || b === undefined || b === 0) return null;
  return a / b;
}
