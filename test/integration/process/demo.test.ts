// The shipped conf/sluice.cfg is what users run first (`npm start`): it must start and alternate
// between its two demo servers. Its fixed ports are swapped for free ones so the test never
// collides; the flags are those of package.json's start script, so that `npm start` is what runs
// (as root on CI: sluice refuses root without `user` unless the script opts in).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runSluice, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { get } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DEMO = join(ROOT, 'conf', 'sluice.cfg');

/** the flags `npm start` gives sluice, without its `-f conf/sluice.cfg` */
function startScriptFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const m = /node bin\/sluice\.js (.*)$/.exec(pkg.scripts.start);
  assert.ok(m !== null, `unexpected start script: ${pkg.scripts.start}`);
  const words = (m[1] as string).split(/\s+/);
  const f = words.indexOf('-f');
  assert.equal(words[f + 1], 'conf/sluice.cfg');
  words.splice(f, 2);
  return words;
}

describe('shipped demo configuration', () => {
  const running: StartedSluice[] = [];
  after(() => {
    for (const s of running) s.proc.kill();
  });

  it('passes -c as shipped', async () => {
    const r = await runSluice(['-c', '-f', DEMO]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Configuration file is valid');
  });

  it('alternates between demo1 and demo2 behind frontend main, started as npm start does', async () => {
    let text = readFileSync(DEMO, 'utf8');
    const ports = new Map<string, number>();
    for (const p of ['8080', '8081', '8082']) {
      ports.set(p, await freePort());
      text = text.replaceAll(`:${p}`, `:${ports.get(p)}`);
    }
    // SLUICE_ADDR unset: the frontend falls back to loopback.
    // Worker count as shipped (nbthread 1), so the test sees what a user sees.
    const s = await startSluice(text, {
      workers: null,
      env: { SLUICE_ADDR: undefined },
      args: startScriptFlags(),
      insecureRunAsRoot: false,
    });
    running.push(s);
    const main = s.listeners.find((l) => l.proxy === 'main');
    assert.deepEqual([main?.kind, main?.address, main?.port], ['http', '127.0.0.1', ports.get('8080')]);
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await get(s.port('main'));
      assert.equal(r.status, 200);
      bodies.push(r.body);
    }
    assert.deepEqual(new Set(bodies), new Set(['hello from demo1\n', 'hello from demo2\n']));
    for (let i = 1; i < bodies.length; i++)
      assert.notEqual(bodies[i], bodies[i - 1], 'round robin alternates');
    assert.equal((await s.stop()).code, 0);
  });
});
