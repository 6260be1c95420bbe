// The chart's scale: bars are scaled to the largest in-scale value of their scenario, and a
// lower-is-better bar far behind the best one (a proxy that cannot keep up: p99 in seconds) is
// drawn cut off instead of flattening every other bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { svgChart } from '../../../bench/report/svg';
import type { BenchResult } from '../../../bench/results';

type Headline = 'rps' | 'p99';

function result(headline: Headline, values: Record<string, number>): BenchResult {
  const metric = headline === 'rps' ? 'rps' : 'p99Ms';
  return {
    startedAt: '2026-12-07T00:00:00.000Z',
    placement: 'test',
    tool: 'wrk',
    scenarios: [
      {
        id: 'sc',
        title: 'a scenario',
        headline,
        targets: Object.entries(values).map(([target, v]) => ({
          target,
          stats: { [metric]: { median: v, min: v, max: v } },
        })),
      },
    ],
  } as unknown as BenchResult;
}

/** bar widths by target name, in the order drawn */
function widths(svg: string): Record<string, number> {
  const names = [...svg.matchAll(/text-anchor="end">([a-z-]+)<\/text>/g)].map((m) => m[1] as string);
  const rects = [...svg.matchAll(/<rect x="90" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  return Object.fromEntries(names.map((n, i) => [n, rects[i] as number]));
}

test('p99: a target 1000x behind is drawn off scale, the others keep a readable scale', () => {
  const svg = svgChart(result('p99', { sluice: 6, haproxy: 2.5, 'http-proxy': 2948 }));
  const w = widths(svg);
  assert.equal(w.sluice, 560, 'the largest in-scale bar takes the full width');
  assert.ok((w.haproxy as number) > 200, `haproxy bar ${w.haproxy}`);
  assert.match(svg, /2 948 \(off scale\)/);
});

test('req/s: a slow target is never cut off (higher is better), whatever the spread', () => {
  const svg = svgChart(result('rps', { direct: 58_000, sluice: 24_000, 'http-proxy': 2_000 }));
  const w = widths(svg);
  assert.equal(w.direct, 560);
  assert.ok((w['http-proxy'] as number) < 30);
  assert.doesNotMatch(svg, /off scale/);
});
