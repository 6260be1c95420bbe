// Writes one run's results: a timestamped JSON (gitignored), latest.json, latest.md, latest.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../results';
import { markdownSummary } from './markdown';
import { svgChart } from './svg';

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string;
}

export function writeResults(r: BenchResult, dir: string): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${r.smoke ? 'smoke' : 'bench'}-${stamp}.json`);
  const text = JSON.stringify(r, null, 2) + '\n';
  writeFileSync(json, text);
  writeFileSync(join(dir, 'latest.json'), text);
  const markdown = join(dir, 'latest.md');
  writeFileSync(markdown, markdownSummary(r));
  const svg = join(dir, 'latest.svg');
  writeFileSync(svg, svgChart(r));
  return { json, markdown, svg };
}
