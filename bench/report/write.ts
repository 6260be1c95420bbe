// Writes one run's results: a timestamped JSON (gitignored), latest.json, latest.md, latest.svg —
// or smoke.* for a smoke run, which must not replace the recorded run the README shows.
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
  const name = r.smoke ? 'smoke' : 'latest';
  writeFileSync(join(dir, `${name}.json`), text);
  const markdown = join(dir, `${name}.md`);
  writeFileSync(markdown, markdownSummary(r));
  const svg = join(dir, `${name}.svg`);
  writeFileSync(svg, svgChart(r));
  return { json, markdown, svg };
}
