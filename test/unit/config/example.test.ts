import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatCheckReport, loadConfig } from '../../../src/config/index';

// dist-config/test/unit/config → repo root
const FULL = join(__dirname, '..', '..', '..', '..', 'conf', 'examples', 'full.cfg');

describe('conf/examples/full.cfg', () => {
  test('is valid without warnings', () => {
    const r = loadConfig([FULL], {});
    const report = formatCheckReport(r, 1).trimEnd().split('\n');
    assert.equal(report.pop(), 'Configuration file is valid');
    assert.deepEqual(report, []);
    const m = r.model;
    assert.ok(m !== null);
    assert.deepEqual(
      m.frontends.map((f) => [f.name, f.mode, f.listen]),
      [
        ['fe_main', 'http', false],
        ['tcp_echo', 'tcp', true],
        ['first_free', 'tcp', true],
      ],
    );
    assert.equal(m.backends.length, 7);
    const fe = m.frontends[0];
    assert.equal(fe.httpRequest.length, 7);
    assert.equal(fe.useBackend.length, 3);
    assert.equal(fe.errorFiles[0].status, 408);
    assert.equal(fe.logs[0].kind, 'stdout');
    assert.equal(fe.logs[0].format, 'raw');
    assert.equal(m.frontends[2].logs.length, 0);
  });

  test('conditional block follows the environment', () => {
    const r = loadConfig([FULL], { SLUICE_MAINTENANCE: '1' });
    assert.ok(r.model !== null);
    assert.equal(r.model.frontends[0].httpRequest[0].action, 'return');
  });
});
