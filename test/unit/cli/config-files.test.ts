import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandConfigPaths } from '../../../src/cli/config-files';

describe('cli config paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cfgdir-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('expands a directory to its non-hidden .cfg files in byte order, keeping files as given', () => {
    const d = join(dir, 'conf.d');
    mkdirSync(d);
    for (const n of ['b.cfg', 'B.cfg', '10-x.cfg', '.hidden.cfg', 'notes.txt', 'a.cfg.bak']) {
      writeFileSync(join(d, n), '');
    }
    mkdirSync(join(d, 'sub.cfg'));
    const single = join(dir, 'main.cfg');
    assert.deepEqual(expandConfigPaths([single, d, 'missing.cfg']), [
      single,
      join(d, '10-x.cfg'),
      join(d, 'B.cfg'),
      join(d, 'b.cfg'),
      'missing.cfg',
    ]);
  });
});
