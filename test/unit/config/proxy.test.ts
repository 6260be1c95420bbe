import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FALL, DEFAULT_INTER_MS, DEFAULT_RETRIES, DEFAULT_RISE } from '../../../src/config/index';
import { BASE, be, fe, model, oneAlert, warnings } from './helpers';

describe('frontends', () => {
  test('bind addresses and options', () => {
    const m = model(`${BASE}
frontend f
    bind :80
    bind *:81 name web
    bind 127.0.0.1:82 front node
    bind [::]:83
    bind :::84
    bind ipv6@:85
    bind ipv4@10.0.0.1:86,:87
    default_backend b
backend b
    server s 1.1.1.1:80
`);
    const binds = fe(m, 'f').binds.map((b) => [b.address, b.port, b.front, b.name]);
    assert.deepEqual(binds, [
      ['0.0.0.0', 80, 'uws', null],
      ['0.0.0.0', 81, 'uws', 'web'],
      ['127.0.0.1', 82, 'node', null],
      ['::', 83, 'uws', null],
      ['::', 84, 'uws', null],
      ['::', 85, 'uws', null],
      ['10.0.0.1', 86, 'uws', null],
      ['0.0.0.0', 87, 'uws', null],
    ]);
    assert.deepEqual(fe(m, 'f').binds[0].origin, { file: 't.cfg', line: 9 });
  });

  test('mode, maxconn, timeouts, default_backend', () => {
    const m = model(`
frontend f
    mode http
    maxconn 100
    bind :80
    timeout client 1m
    timeout http-request 10s
    timeout http-keep-alive 500
    timeout client-fin 1s
    timeout tunnel 1h
    default_backend b
backend b
    mode http
    timeout connect 5s
    timeout server 30s
    timeout queue 2s
    timeout tunnel 1h
    timeout server-fin 1s
    timeout check 3s
    timeout http-request 1d
    server s 1.1.1.1:80
`);
    const f = fe(m, 'f');
    assert.equal(f.mode, 'http');
    assert.equal(f.maxconn, 100);
    assert.equal(f.defaultBackend, 'b');
    assert.equal(f.listen, false);
    assert.equal(f.timeouts.client, 60000);
    assert.equal(f.timeouts.httpRequest, 10000);
    assert.equal(f.timeouts.httpKeepAlive, 500);
    assert.equal(f.timeouts.clientFin, 1000);
    assert.equal(f.timeouts.tunnel, null, 'timeout tunnel is ignored in a frontend');
    const b = be(m, 'b');
    assert.deepEqual(b.timeouts, {
      connect: 5000,
      client: null,
      server: 30000,
      httpRequest: 86_400_000,
      httpKeepAlive: null,
      queue: 2000,
      tunnel: 3_600_000,
      clientFin: null,
      serverFin: 1000,
      check: 3000,
    });
  });

  test('default mode is tcp and ids follow declaration order', () => {
    const m = model(`${BASE.replace('mode http', '')}
backend b1
    server s 1.1.1.1:80
frontend f
    bind :80
    default_backend b1
listen l
    bind :81
    server s 1.1.1.1:80
backend b2
    server s 1.1.1.1:80
`);
    assert.equal(fe(m, 'f').mode, 'tcp');
    assert.deepEqual(
      m.backends.map((b) => [b.name, b.id, b.listen]),
      [
        ['b1', 1, false],
        ['l', 3, true],
        ['b2', 4, false],
      ],
    );
    assert.deepEqual(
      m.frontends.map((f) => [f.name, f.id, f.listen]),
      [
        ['f', 2, false],
        ['l', 3, true],
      ],
    );
  });

  test('listen: frontend defaults to its own backend', () => {
    const m = model(`${BASE}
listen l
    bind :80
    server s 1.1.1.1:80
listen l2
    bind :81
    use_backend other if { path /x }
    default_backend other
    server s 1.1.1.1:80
backend other
    server s 1.1.1.1:80
`);
    assert.equal(fe(m, 'l').defaultBackend, 'l');
    assert.equal(be(m, 'l').servers.length, 1);
    assert.equal(fe(m, 'l2').defaultBackend, 'other');
    assert.equal(fe(m, 'l2').useBackend[0].backend, 'other');
  });

  test('options', () => {
    const m = model(`${BASE}
frontend f
    bind :80
    option forwardfor except 10.0.0.0/8 header X-Real-IP if-none
    option http-server-close
    default_backend b
backend b
    option forwardfor
    option httpclose
    option redispatch
    retries 5
    server s 1.1.1.1:80
backend b2
    option redispatch 2
    option http-keep-alive
    retries 0
    server s 1.1.1.1:80
backend b3
    option forwardfor
    no option forwardfor
    option redispatch 0
    option httpclose
    no option httpclose
    server s 1.1.1.1:80
`);
    assert.deepEqual(fe(m, 'f').forwardFor, { header: 'x-real-ip', except: ['10.0.0.0/8'], ifNone: true });
    assert.equal(fe(m, 'f').httpConnectionMode, 'server-close');
    const b = be(m, 'b');
    assert.deepEqual(b.forwardFor, { header: 'x-forwarded-for', except: [], ifNone: false });
    assert.equal(b.httpConnectionMode, 'close');
    assert.deepEqual(b.redispatch, { enabled: true, interval: -1 });
    assert.equal(b.retries, 5);
    assert.deepEqual(be(m, 'b2').redispatch, { enabled: true, interval: 2 });
    assert.equal(be(m, 'b2').httpConnectionMode, 'keep-alive');
    assert.equal(be(m, 'b2').retries, 0);
    assert.equal(be(m, 'b3').forwardFor, null);
    assert.equal(be(m, 'b3').redispatch.enabled, false);
    assert.equal(be(m, 'b3').httpConnectionMode, 'keep-alive');
  });

  test('log global, own logs and no log', () => {
    const m = model(`global
    log stdout local0
defaults
    mode http
    log global
    timeout connect 1s
    timeout client 1s
    timeout server 1s
frontend f
    bind :80
    log 10.0.0.9:514 local1 info
    default_backend b
backend b
    no log
    server s 1.1.1.1:80
`);
    assert.deepEqual(
      fe(m, 'f').logs.map((l) => l.target),
      ['stdout', '10.0.0.9:514'],
    );
    assert.deepEqual(be(m, 'b').logs, []);
  });
});

describe('backends', () => {
  test('servers with every option', () => {
    const m = model(`${BASE}
backend b
    server a 10.0.0.1:8080 weight 10 maxconn 100 maxqueue 5 check inter 3s fastinter 1s downinter 10s rise 4 fall 5 port 9000 addr 10.0.0.100 slowstart 30s
    server c app.local:80 backup disabled
    server d [::1]:81 id 7 enabled
    server e ipv6@::2:82 weight 0
`);
    const [a, c, d, e] = be(m, 'b').servers;
    assert.deepEqual(a, {
      name: 'a',
      id: 1,
      host: '10.0.0.1',
      port: 8080,
      weight: 10,
      maxconn: 100,
      maxqueue: 5,
      backup: false,
      disabled: false,
      check: {
        enabled: true,
        inter: 3000,
        fastinter: 1000,
        downinter: 10000,
        rise: 4,
        fall: 5,
        port: 9000,
        addr: '10.0.0.100',
      },
      slowstart: 30000,
      origin: { file: 't.cfg', line: 9 },
      agent: null,
      observe: null,
      errorLimit: 10,
      onError: 'fail-check',
      onMarkedDown: null,
      onMarkedUp: null,
    });
    assert.deepEqual(
      [c.host, c.port, c.backup, c.disabled, c.id, c.weight],
      ['app.local', 80, true, true, 2, 1],
    );
    assert.deepEqual(c.check, {
      enabled: false,
      inter: DEFAULT_INTER_MS,
      fastinter: DEFAULT_INTER_MS,
      downinter: DEFAULT_INTER_MS,
      rise: DEFAULT_RISE,
      fall: DEFAULT_FALL,
      port: null,
      addr: null,
    });
    assert.deepEqual([d.host, d.port, d.id, d.disabled], ['::1', 81, 7, false]);
    assert.deepEqual([e.host, e.port, e.id, e.weight], ['::2', 82, 3, 0]);
    assert.equal(be(m, 'b').retries, DEFAULT_RETRIES);
  });

  test('server ids fill the gaps left by explicit ids', () => {
    const m = model(`${BASE}
backend b
    server a 1.1.1.1:80 id 2
    server b 1.1.1.1:80
    server c 1.1.1.1:80
`);
    assert.deepEqual(
      be(m, 'b').servers.map((s) => s.id),
      [2, 1, 3],
    );
  });

  test('default-server applies to later servers only', () => {
    const m = model(`${BASE}
backend b
    server a 1.1.1.1:80
    default-server check inter 5s weight 20
    server b 1.1.1.1:80
    server c 1.1.1.1:80 weight 3 no-check
`);
    const [a, b, c] = be(m, 'b').servers;
    assert.deepEqual([a.weight, a.check.enabled, a.check.inter], [1, false, DEFAULT_INTER_MS]);
    assert.deepEqual([b.weight, b.check.enabled, b.check.inter, b.check.fastinter], [20, true, 5000, 5000]);
    assert.deepEqual([c.weight, c.check.enabled], [3, false]);
  });

  test('balance algorithms', () => {
    const bal = (line: string): ReturnType<typeof be>['balance'] =>
      be(model(`${BASE}\nbackend b\n    ${line}\n    server s 1.1.1.1:80\n`), 'b').balance;
    assert.equal(bal('').algorithm, 'roundrobin');
    for (const a of ['roundrobin', 'static-rr', 'leastconn', 'first', 'source'] as const)
      assert.equal(bal(`balance ${a}`).algorithm, a);
    assert.deepEqual(bal('balance uri whole len 10 depth 3 path-only'), {
      algorithm: 'uri',
      param: null,
      uriWhole: true,
      uriLen: 10,
      uriDepth: 3,
      uriPathOnly: true,
      useDomainOnly: false,
      draws: 2,
    });
    const up = bal('balance url_param userid');
    assert.deepEqual([up.algorithm, up.param], ['url_param', 'userid']);
    const h = bal('balance hdr(Host) use_domain_only');
    assert.deepEqual([h.algorithm, h.param, h.useDomainOnly], ['hdr', 'host', true]);
    assert.deepEqual([bal('balance random').draws, bal('balance random(5)').draws], [2, 5]);
  });

  test('hash-type', () => {
    const ht = (line: string): ReturnType<typeof be>['hashType'] =>
      be(model(`${BASE}\nbackend b\n    ${line}\n    server s 1.1.1.1:80\n`), 'b').hashType;
    assert.deepEqual(ht(''), { method: 'map-based', fn: 'sdbm', avalanche: false });
    assert.deepEqual(ht('hash-type consistent'), { method: 'consistent', fn: 'sdbm', avalanche: false });
    assert.deepEqual(ht('hash-type consistent djb2 avalanche'), {
      method: 'consistent',
      fn: 'djb2',
      avalanche: true,
    });
    assert.deepEqual(ht('hash-type map-based avalanche'), {
      method: 'map-based',
      fn: 'sdbm',
      avalanche: true,
    });
  });

  test('option httpchk', () => {
    const hc = (line: string): ReturnType<typeof be>['httpCheck'] =>
      be(model(`${BASE}\nbackend b\n    ${line}\n    server s 1.1.1.1:80\n`), 'b').httpCheck;
    assert.equal(hc(''), null);
    assert.deepEqual(hc('option httpchk'), { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', host: null });
    assert.deepEqual(hc('option httpchk /health'), {
      method: 'OPTIONS',
      uri: '/health',
      version: 'HTTP/1.0',
      host: null,
    });
    assert.deepEqual(hc('option httpchk GET /h'), {
      method: 'GET',
      uri: '/h',
      version: 'HTTP/1.0',
      host: null,
    });
    assert.deepEqual(hc('option httpchk GET /h HTTP/1.1 api.local'), {
      method: 'GET',
      uri: '/h',
      version: 'HTTP/1.1',
      host: 'api.local',
    });
    assert.deepEqual(hc('option httpchk HEAD / HTTP/1.1\\r\\nHost:\\ www.example.com'), {
      method: 'HEAD',
      uri: '/',
      version: 'HTTP/1.1',
      host: 'www.example.com',
    });
  });

  test('the model is frozen', () => {
    const m = model(`${BASE}\nbackend b\n    server s 1.1.1.1:80\n`);
    assert.ok(Object.isFrozen(m));
    assert.ok(Object.isFrozen(be(m, 'b').servers[0].check));
    assert.throws(() => {
      (m.backends as unknown as unknown[]).push(1);
    });
  });
});

describe('max-request-body-size (sluice extension)', () => {
  test('a size in the frontend, inherited from defaults, 0 (none) when unset', () => {
    const m = model(`
defaults
    mode http
    max-request-body-size 10m
frontend f
    bind :80
    default_backend b
frontend g
    bind :81
    max-request-body-size 512k
    default_backend b
frontend h
    bind :82
    max-request-body-size 0
    default_backend b
backend b
    server s 1.1.1.1:80
`);
    assert.equal(fe(m, 'f').maxRequestBody, 10 * 1024 * 1024);
    assert.equal(fe(m, 'g').maxRequestBody, 512 * 1024);
    assert.equal(fe(m, 'h').maxRequestBody, 0);
    assert.equal(fe(model(`${BASE}frontend f\n    bind :80\n`), 'f').maxRequestBody, 0);
  });

  test('ignored with a warning in mode tcp, as HAProxy does with HTTP-only settings', () => {
    const text = `${BASE}frontend t\n    mode tcp\n    bind :80\n    max-request-body-size 1k\n    default_backend b\nbackend b\n    mode tcp\n    server s 1.1.1.1:80\n`;
    assert.deepEqual(
      warnings(text).filter((w) => w.includes('max-request-body-size')),
      ["'max-request-body-size' ignored for proxy 't' as it requires HTTP mode."],
    );
    assert.equal(fe(model(text), 't').maxRequestBody, 0);
  });

  test('a bad size or a backend section is an error naming it', () => {
    oneAlert(`${BASE}frontend f\n    bind :80\n    max-request-body-size 10x\n`, 9, "invalid size '10x'");
    oneAlert(`${BASE}frontend f\n    bind :80\n    max-request-body-size\n`, 9, 'a size');
    oneAlert(
      `${BASE}backend b\n    max-request-body-size 1k\n`,
      8,
      "'max-request-body-size' not allowed in 'backend' section",
    );
  });
});
