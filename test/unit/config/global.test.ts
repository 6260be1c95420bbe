import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BUFSIZE, DEFAULT_GLOBAL_MAXCONN, DEFAULT_STATS_TIMEOUT_MS } from '../../../src/config/index';
import { compile, model, oneAlert } from './helpers';

describe('global section', () => {
  test('defaults when empty', () => {
    const g = model('global\n').global;
    assert.equal(g.maxconn, DEFAULT_GLOBAL_MAXCONN);
    assert.equal(g.nbthread, null);
    assert.equal(g.statsTimeout, DEFAULT_STATS_TIMEOUT_MS);
    assert.equal(g.tune.bufsize, DEFAULT_BUFSIZE);
    assert.deepEqual(g.statsSockets, []);
  });

  test('every keyword', () => {
    const g = model(`global
    maxconn 50000
    nbthread 4
    pidfile /run/sluice.pid
    user haproxy
    group haproxy
    hard-stop-after 30s
    tune.bufsize 32k
    tune.http.maxhdr 200
    stats timeout 2m
    stats socket /run/s.sock mode 660 level admin
    stats socket ipv4@127.0.0.1:9999
    stats socket :9998 level user
    master-worker
`).global;
    assert.equal(g.maxconn, 50000);
    assert.equal(g.nbthread, 4);
    assert.equal(g.pidfile, '/run/sluice.pid');
    assert.equal(g.user, 'haproxy');
    assert.equal(g.group, 'haproxy');
    assert.equal(g.hardStopAfter, 30000);
    assert.deepEqual(g.tune, { bufsize: 32768, maxhdr: 200 });
    assert.equal(g.statsTimeout, 120000);
    assert.deepEqual(g.statsSockets[0], {
      kind: 'unix',
      path: '/run/s.sock',
      host: null,
      port: null,
      mode: 0o660,
      level: 'admin',
      origin: { file: 't.cfg', line: 11 },
    });
    assert.deepEqual(
      g.statsSockets.slice(1).map((s) => [s.kind, s.host, s.port, s.level]),
      [
        ['tcp', '127.0.0.1', 9999, 'operator'],
        ['tcp', '0.0.0.0', 9998, 'user'],
      ],
    );
  });

  test('log targets', () => {
    const g = model(`global
    log stdout format raw local0
    log stderr len 4096 format json daemon info debug
    log /dev/log local1 notice
    log udp@10.0.0.1:5140 local2
    log 10.0.0.2 local3
    log ipv6@[::1]:600 user
`).global;
    const pick = g.logs.map((l) => [
      l.kind,
      l.host,
      l.port,
      l.path,
      l.format,
      l.facility,
      l.level,
      l.minLevel,
    ]);
    assert.deepEqual(pick, [
      ['stdout', null, null, null, 'raw', 'local0', null, null],
      ['stderr', null, null, null, 'json', 'daemon', 'info', 'debug'],
      ['file', null, null, '/dev/log', 'rfc3164', 'local1', 'notice', null],
      ['udp', '10.0.0.1', 5140, null, 'rfc3164', 'local2', null, null],
      ['udp', '10.0.0.2', 514, null, 'rfc3164', 'local3', null, null],
      ['udp', '::1', 600, null, 'rfc3164', 'user', null, null],
    ]);
    assert.equal(g.logs[1].len, 4096);
    assert.equal(g.logs[0].target, 'stdout');
    assert.deepEqual(g.logs[3].origin, { file: 't.cfg', line: 5 });
  });

  test('insecure-run-as-root: a sluice keyword without argument, off by default', () => {
    assert.equal(model('global\n').global.insecureRunAsRoot, false);
    assert.equal(model('global\n    insecure-run-as-root\n').global.insecureRunAsRoot, true);
    oneAlert('global\n  insecure-run-as-root yes\n', 2, "'insecure-run-as-root' : unexpected argument 'yes'");
    oneAlert(
      'global\n  insecure-run-as-rot\n',
      2,
      "unknown keyword 'insecure-run-as-rot' in 'global' section; did you mean 'insecure-run-as-root' maybe ?",
    );
  });

  test('daemon is accepted with a notice', () => {
    const r = compile('global\n    daemon\n');
    assert.ok(r.model !== null);
    assert.equal(r.diagnostics[0].severity, 'notice');
    assert.equal(r.diagnostics[0].line, 2);
  });

  test('errors', () => {
    oneAlert('global\n  maxconn lots\n', 2, "'maxconn' expects an integer");
    oneAlert('global\n  nbthread 0\n', 2, "'nbthread' expects an integer between 1");
    oneAlert('global\n  hard-stop-after 3x\n', 2, "unknown time unit 'x'");
    oneAlert('global\n  tune.bufsize 12\n', 2, 'at least 1024');
    oneAlert('global\n  stats socket /s level root\n', 2, "'level' only supports");
    oneAlert('global\n  stats socket /s mode 999\n', 2, 'octal');
    oneAlert(
      'global\n  stats socket /s user x\n',
      2,
      "stats socket option 'user' is not supported by sluice yet",
    );
    oneAlert('global\n  stats enable\n', 2, "'stats enable' is not supported by sluice yet");
    oneAlert('global\n  chroot /var/empty\n', 2, "'chroot' is not supported by sluice yet");
    oneAlert(
      'global\n  maxcon 1\n',
      2,
      "unknown keyword 'maxcon' in 'global' section; did you mean 'maxconn' maybe ?",
    );
    oneAlert('global\n  log global\n', 2, "'log global' is only valid in proxy sections");
    oneAlert('global\n  log stdout local9\n', 2, "unknown log facility 'local9'");
    oneAlert('global\n  log stdout local0 loud\n', 2, "unknown optional log level 'loud'");
    oneAlert('global\n  log stdout format xml local0\n', 2, "unknown log format 'xml'");
    oneAlert('global\n  log ring@buf local0\n', 2, "'ring@' is not supported");
    oneAlert('global\n  log 1.2.3.4:99999 local0\n', 2, 'invalid port');
    oneAlert('global extra\n', 1, 'takes no argument');
  });
});
