import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCheckReport, formatDiagnostic, loadConfig } from '../../../src/config/index';
import { compile } from './helpers';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-cfg-'));
}

describe('loadConfig', () => {
  test('several files and directories, in C-locale order', () => {
    const dir = tmp();
    const d = join(dir, 'conf.d');
    mkdirSync(d);
    writeFileSync(
      join(dir, 'main.cfg'),
      'global\n    maxconn 10\ndefaults\n    timeout connect 1s\n    timeout server 1s\n',
    );
    writeFileSync(join(d, 'b.cfg'), 'backend B\n    server s 1.1.1.1:80\n');
    writeFileSync(join(d, 'B.cfg'), 'backend upper\n    server s 1.1.1.1:80\n');
    writeFileSync(join(d, 'a.cfg'), 'backend a\n    server s 1.1.1.1:80\n');
    writeFileSync(join(d, '_x.cfg'), 'backend under\n    server s 1.1.1.1:80\n');
    writeFileSync(join(d, 'ignored.txt'), 'garbage that would not parse\n');
    mkdirSync(join(d, 'sub.cfg'));
    const r = loadConfig([join(dir, 'main.cfg'), d], {});
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.model !== null);
    assert.deepEqual(r.model.files, [
      join(dir, 'main.cfg'),
      join(d, 'B.cfg'),
      join(d, '_x.cfg'),
      join(d, 'a.cfg'),
      join(d, 'b.cfg'),
    ]);
    assert.deepEqual(
      r.model.backends.map((b) => [b.name, b.id, b.timeouts.connect]),
      [
        ['upper', 1, 1000],
        ['under', 2, 1000],
        ['a', 3, 1000],
        ['B', 4, 1000],
      ],
    );
    assert.equal(r.model.global.maxconn, 10);
    assert.deepEqual(r.model.backends[0].origin, { file: join(d, 'B.cfg'), line: 1 });
  });

  test('each file starts on a section boundary', () => {
    const dir = tmp();
    writeFileSync(join(dir, '1.cfg'), 'backend b\n');
    writeFileSync(join(dir, '2.cfg'), '    server s 1.1.1.1:80\n');
    const r = loadConfig([dir], {});
    assert.equal(r.model, null);
    const a = r.diagnostics.find((x) => x.severity === 'alert');
    assert.deepEqual(
      [a?.file, a?.line, a?.message],
      [join(dir, '2.cfg'), 1, "unknown keyword 'server' out of section."],
    );
  });

  test('.if blocks do not span files', () => {
    const dir = tmp();
    writeFileSync(join(dir, '1.cfg'), 'global\n.if 1\n');
    writeFileSync(join(dir, '2.cfg'), '.endif\n');
    const r = loadConfig([dir], {});
    assert.deepEqual(
      r.diagnostics.map((d) => [d.file.slice(dir.length + 1), d.line]),
      [
        ['1.cfg', 2],
        ['2.cfg', 1],
      ],
    );
  });

  test('missing files and env', () => {
    const r = loadConfig(['/nonexistent/x.cfg'], {});
    assert.equal(r.model, null);
    assert.equal(
      r.diagnostics[0].message,
      'Cannot open configuration file/directory /nonexistent/x.cfg : No such file or directory',
    );
    assert.equal(
      formatDiagnostic(r.diagnostics[0], 7),
      '[ALERT]    (7) : config : Cannot open configuration file/directory /nonexistent/x.cfg : No such file or directory',
    );
    const dir = tmp();
    writeFileSync(join(dir, 'e.cfg'), 'global\n    maxconn "${MC-5}"\n');
    assert.equal(loadConfig([join(dir, 'e.cfg')], { MC: '77' }).model?.global.maxconn, 77);
    assert.equal(loadConfig([join(dir, 'e.cfg')], {}).model?.global.maxconn, 5);
    assert.equal(loadConfig([], {}).model, null);
  });
});

describe('formatting like haproxy -c', () => {
  test('alerts, warnings and the final line', () => {
    const r = compile('defaults\n    timout connect 5s\nbackend b\n');
    assert.equal(
      formatCheckReport(r, 1234),
      [
        "[ALERT]    (1234) : config : parsing [t.cfg:2] : unknown keyword 'timout' in 'defaults' section; did you mean 'timeout' maybe ?",
        "[WARNING]  (1234) : config : parsing [t.cfg:3] : missing timeouts for backend 'b'. While not properly invalid, you will certainly encounter various problems with such a configuration. To fix this, please ensure that all following timeouts are set to a non-zero value: 'client', 'connect', 'server'.",
        "[WARNING]  (1234) : config : parsing [t.cfg:3] : backend 'b' has no server; its requests will get a 503.",
        '[ALERT]    (1234) : config : Fatal errors found in configuration.',
        '',
      ].join('\n'),
    );
  });

  test('valid configurations', () => {
    assert.equal(formatCheckReport(compile('global\n'), 1), 'Configuration file is valid\n');
    const r = compile('global\n    daemon\n');
    assert.equal(
      formatCheckReport(r, 9),
      "[NOTICE]   (9) : config : parsing [t.cfg:2] : 'daemon' ignored: sluice always runs in the foreground as a master-worker.\nConfiguration file is valid\n",
    );
  });
});
