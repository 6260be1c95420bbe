// The chart (bench/results/latest.svg): one group per scenario, one horizontal bar per target,
// scaled to the best target of that scenario. Hand-written SVG: a chart library for a dozen
// rectangles would be the suite's only runtime dependency.
import type { BenchResult, ScenarioResult } from '../results';
import { headlineMetric } from '../results';
import { num } from './format';

const COLORS: Readonly<Record<string, string>> = {
  direct: '#9e9e9e',
  sluice: '#1565c0',
  haproxy: '#2e7d32',
  nginx: '#ef6c00',
};
const WIDTH = 900;
const LABEL_W = 90;
const BAR_MAX = 560;
const BAR_H = 16;
const GAP = 4;
const HEADER_H = 24;
/** a lower-is-better bar this many times the best one is drawn cut off, outside the scale */
const OFF_SCALE = 20;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unit(s: ScenarioResult): string {
  return s.headline === 'rps'
    ? 'req/s'
    : s.headline === 'mbps'
      ? 'MB/s'
      : s.headline === 'p99'
        ? 'p99 ms (lower is better)'
        : 'bytes per idle conn (lower is better)';
}

function group(s: ScenarioResult, y0: number, tool: string): { svg: string[]; height: number } {
  const m = headlineMetric(s.headline);
  const bars = s.targets
    .filter((t) => t.skipped === undefined && t.stats[m] !== undefined)
    .map((t) => ({
      name: t.target,
      v: t.stats[m]?.median ?? 0,
      lo: t.stats[m]?.min ?? 0,
      hi: t.stats[m]?.max ?? 0,
    }));
  // Lower-is-better figures: a target far behind the others (a proxy that cannot keep up, p99 in
  // seconds) would flatten every other bar, so the scale ignores it and its bar is drawn cut off.
  const lowerBetter = s.headline === 'p99' || s.headline === 'bytes-per-conn';
  const best = Math.min(...bars.map((b) => b.v).filter((v) => v > 0));
  const offScale = (b: { v: number }): boolean => lowerBetter && b.v > OFF_SCALE * best;
  const max = Math.max(1e-9, ...bars.filter((b) => !offScale(b)).map((b) => b.hi));
  const svg = [
    `<text x="10" y="${y0 + 16}" font-weight="bold">${esc(`${s.id}: ${s.title}`)}</text>`,
    `<text x="${WIDTH - 10}" y="${y0 + 16}" text-anchor="end" fill="#555">${esc(`${unit(s)}, ${tool}`)}</text>`,
  ];
  let y = y0 + HEADER_H;
  for (const b of bars) {
    const color = COLORS[b.name] ?? '#6a1b9a';
    if (offScale(b)) {
      svg.push(
        `<text x="${LABEL_W - 6}" y="${y + BAR_H - 4}" text-anchor="end">${esc(b.name)}</text>`,
        `<rect x="${LABEL_W}" y="${y}" width="${BAR_MAX}" height="${BAR_H}" fill="${color}" fill-opacity="0.5"/>`,
        `<text x="${LABEL_W + BAR_MAX + 6}" y="${y + BAR_H - 4}">${esc(`${num(b.v)} (off scale)`)}</text>`,
      );
      y += BAR_H + GAP;
      continue;
    }
    const w = Math.max(1, (b.v / max) * BAR_MAX);
    svg.push(
      `<text x="${LABEL_W - 6}" y="${y + BAR_H - 4}" text-anchor="end">${esc(b.name)}</text>`,
      `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${color}"/>`,
      // The min-max whisker keeps run-to-run noise visible.
      `<line x1="${(LABEL_W + (b.lo / max) * BAR_MAX).toFixed(1)}" x2="${(LABEL_W + (b.hi / max) * BAR_MAX).toFixed(1)}" ` +
        `y1="${y + BAR_H / 2}" y2="${y + BAR_H / 2}" stroke="#000" stroke-width="1.5"/>`,
      `<text x="${(LABEL_W + w + 6).toFixed(1)}" y="${y + BAR_H - 4}">${esc(num(b.v))}</text>`,
    );
    y += BAR_H + GAP;
  }
  if (bars.length === 0) {
    svg.push(`<text x="${LABEL_W}" y="${y + BAR_H - 4}" fill="#888">no results</text>`);
    y += BAR_H + GAP;
  }
  return { svg, height: y - y0 + 10 };
}

export function svgChart(r: BenchResult): string {
  const body: string[] = [];
  let y = 40;
  for (const s of r.scenarios) {
    const g = group(s, y, r.tool);
    body.push(...g.svg);
    y += g.height;
  }
  const title = `sluice benchmark ${r.startedAt.slice(0, 10)}: ${r.placement}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" viewBox="0 0 ${WIDTH} ${y + 10}" ` +
      'font-family="sans-serif" font-size="12">',
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
