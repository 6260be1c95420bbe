// The Markdown summary (bench/results/latest.md), also printed to the console at the end.
import type { BenchResult, ScenarioResult, TargetResult } from '../results';
import { headlineMetric } from '../results';
import { num } from './format';
import { row, scenarioTable } from './markdown-table';

function headline(s: ScenarioResult, t: TargetResult): string {
  const v = t.stats[headlineMetric(s.headline)]?.median;
  if (v === undefined) return '-';
  const unit = { rps: 'req/s', mbps: 'MB/s', 'bytes-per-conn': 'B/conn', p99: 'ms p99' }[s.headline];
  return `${num(v)} ${unit}`;
}

function headlines(r: BenchResult): string[] {
  const names = [...new Set(r.scenarios.flatMap((s) => s.targets.map((t) => t.target)))];
  const lines = [row(['scenario', ...names]), row(['---', ...names.map(() => '---')])];
  for (const s of r.scenarios) {
    lines.push(
      row([
        s.id,
        ...names.map((n) => {
          const t = s.targets.find((x) => x.target === n);
          return t === undefined || t.skipped !== undefined ? 'skipped' : headline(s, t);
        }),
      ]),
    );
  }
  return lines;
}

export function markdownSummary(r: BenchResult): string {
  const out = [
    `# sluice benchmark${r.smoke ? ' (smoke)' : ''} — ${r.startedAt}`,
    '',
    `- machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Linux ${r.machine.kernel}, Node ${r.machine.node}`,
    `- placement: ${r.placement}`,
    `- backend: ${r.backend}; load generator: **${r.tool}** (every number below comes from it, ` +
      "except the fixed-rate scenarios, which the suite's own paced client measures: see each table's tool column)",
    `- ${r.runsPerTarget} run(s) of ${r.durationSec}s per target; figures are medians, (min–max) when runs differ`,
    `- versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '- sluice runs with `-w 1`, haproxy with `-db`, both on the same generated config with `nbthread 1`',
    ...r.notes.map((n) => `- note: ${n}`),
    '',
    '## Headline (median of the main figure per scenario)',
    '',
    ...headlines(r),
    '',
  ];
  for (const s of r.scenarios) {
    out.push(
      `## ${s.id}: ${s.title}`,
      '',
      `${s.measures}; ${s.connections} ${s.kind === 'idle' ? 'idle ' : ''}connections.`,
      '',
    );
    for (const n of s.notes) out.push(`Note: ${n}.`, '');
    out.push(...scenarioTable(s), '');
  }
  return out.join('\n');
}
