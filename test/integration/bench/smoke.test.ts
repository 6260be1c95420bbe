// The benchmark suite's smoke mode is the one part of the bench that `npm test` runs: it proves
// the whole chain (uWS backend, sluice with a generated config, autocannon, /proc accounting,
// JSON/Markdown/SVG output) still works, in a few seconds, without any peer installed.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runBench } from '../../../bench/run';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';

const resultsDir = mkdtempSync(join(tmpdir(), 'sluice-bench-smoke-'));
after(() => rmSync(resultsDir, { recursive: true, force: true }));

test(
  'bench --smoke measures sluice with requests and no errors, and writes JSON, Markdown and SVG',
  {
    skip: uwsAvailable() ? false : 'uWebSockets.js does not load here (the smoke backend needs it)',
    timeout: 60_000,
  },
  async () => {
    const lines: string[] = [];
    const { result, files } = await runBench({ smoke: true, resultsDir, log: (l) => lines.push(l) });

    assert.equal(result.smoke, true);
    assert.equal(result.scenarios.length, 1, lines.join('\n'));
    const scenario = result.scenarios[0];
    assert.ok(scenario);
    assert.deepEqual(
      scenario.targets.map((t) => t.target),
      ['sluice'],
      'smoke mode runs sluice only: no direct run, no peers',
    );
    const sluice = scenario.targets[0];
    assert.ok(sluice);
    assert.equal(sluice.skipped, undefined, `sluice was skipped: ${sluice.skipped}\n${lines.join('\n')}`);
    assert.equal(sluice.runs.length, 1);
    assert.ok((sluice.stats.rps?.median ?? 0) > 0, `no requests measured\n${lines.join('\n')}`);
    assert.equal(sluice.stats.errors?.median, 0, `errors during the smoke run\n${lines.join('\n')}`);
    assert.ok((sluice.stats.cpuPct?.median ?? 0) > 0, 'the proxy CPU% comes from /proc');
    assert.ok((sluice.stats.peakRssMiB?.median ?? 0) > 0, 'the proxy RSS comes from /proc');

    for (const f of [files.json, files.markdown, files.svg]) assert.ok(existsSync(f), `${f} not written`);
    assert.ok(files.json.startsWith(resultsDir));
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as typeof result;
    assert.equal(json.scenarios[0]?.targets[0]?.stats.rps?.median, sluice.stats.rps?.median);
    assert.match(readFileSync(files.markdown, 'utf8'), /\| sluice \| autocannon \|/);
    assert.match(readFileSync(files.svg, 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const written = readdirSync(resultsDir);
    assert.ok(written.includes('smoke.md') && written.includes('smoke.svg'), written.join(' '));
    assert.ok(
      !written.some((f) => f.startsWith('latest.')),
      `a smoke run replaced the recorded run: ${written.join(' ')}`,
    );
  },
);
