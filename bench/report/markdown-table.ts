// One scenario's table: every figure as median (min–max), then ratios to the no-proxy ceiling and
// to HAProxy measured in the same run.
import type { Metric, ScenarioResult, TargetResult } from '../results';
import { headlineMetric, ratio } from '../results';
import type { Column } from './format';
import { IDLE_COLUMNS, LOAD_COLUMNS, spread, times } from './format';

interface RatioColumn {
  readonly label: string;
  readonly ref: 'direct' | 'haproxy';
  readonly metric: Metric;
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function ratioColumns(s: ScenarioResult): RatioColumn[] {
  const m = headlineMetric(s.headline);
  if (s.kind === 'idle') return [{ label: 'bytes/conn ×haproxy', ref: 'haproxy', metric: m }];
  if (m === 'p99Ms') {
    // a paced scenario: every target gets the same load, so latency and CPU are what differ
    return [
      { label: 'p99 ×no-proxy', ref: 'direct', metric: 'p99Ms' },
      { label: 'p50 ×haproxy', ref: 'haproxy', metric: 'p50Ms' },
      { label: 'p99 ×haproxy', ref: 'haproxy', metric: 'p99Ms' },
      { label: 'p99.9 ×haproxy', ref: 'haproxy', metric: 'p999Ms' },
      { label: 'CPU % ×haproxy', ref: 'haproxy', metric: 'cpuPct' },
    ];
  }
  const unit = m === 'rps' ? 'req/s' : 'MB/s';
  return [
    { label: `${unit} ×no-proxy`, ref: 'direct', metric: m },
    { label: `${unit} ×haproxy`, ref: 'haproxy', metric: m },
    { label: 'req/s per core ×haproxy', ref: 'haproxy', metric: 'rpsPerCore' },
    { label: 'p99 ×haproxy', ref: 'haproxy', metric: 'p99Ms' },
    { label: 'RSS ×haproxy', ref: 'haproxy', metric: 'peakRssMiB' },
  ];
}

function cells(
  s: ScenarioResult,
  t: TargetResult,
  cols: readonly Column[],
  ratios: readonly RatioColumn[],
): string[] {
  return [
    t.target,
    t.tool ?? '-',
    ...cols.map((c) => spread(t.stats[c.metric])),
    ...ratios.map((r) => times(t.target === r.ref ? null : ratio(s, t, r.ref, r.metric))),
  ];
}

export function scenarioTable(s: ScenarioResult): string[] {
  const cols = s.kind === 'idle' ? IDLE_COLUMNS : LOAD_COLUMNS;
  const ratios = ratioColumns(s);
  const width = 2 + cols.length + ratios.length;
  const lines = [
    row(['target', 'tool', ...cols.map((c) => c.label), ...ratios.map((r) => r.label)]),
    row(Array.from({ length: width }, () => '---')),
  ];
  for (const t of s.targets) {
    if (t.skipped === undefined) lines.push(row(cells(s, t, cols, ratios)));
    else
      lines.push(row([t.target, '-', `skipped: ${t.skipped.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ')}`]));
  }
  return lines;
}
