import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile as compileText } from './helpers';

const base = (body: string): string => `defaults
  mode http
  timeout connect 1s
  timeout client 1s
  timeout server 1s
backend web
${body}
`;

test('http-check send and expect refine option httpchk', () => {
  const r = compileText(
    base(`  option httpchk GET /health HTTP/1.1
  http-check send hdr Host example.com hdr X-Probe 1 body ping
  http-check expect ! rstring ^down
  server s1 127.0.0.1:80 check`),
  );
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.model?.backends[0]?.httpCheck, {
    method: 'GET',
    uri: '/health',
    version: 'HTTP/1.1',
    host: 'example.com',
    headers: [['X-Probe', '1']],
    body: 'ping',
    expect: { kind: 'rstring', negate: true, pattern: '^down' },
  });
});

test('http-check alone enables HTTP checks with HAProxy defaults', () => {
  const r = compileText(base(`  http-check expect status 200-299,301\n  server s1 127.0.0.1:80 check`));
  assert.deepEqual(r.model?.backends[0]?.httpCheck, {
    method: 'OPTIONS',
    uri: '/',
    version: 'HTTP/1.0',
    host: null,
    expect: { kind: 'status', negate: false, pattern: '200-299,301' },
  });
});

test('agent, observe and on-error options compile, and default-server passes them on', () => {
  const r = compileText(
    base(`  default-server inter 2s observe layer7 error-limit 3 on-error mark-down
  server s1 127.0.0.1:80 check agent-check agent-port 9999 agent-send "hello\\n" on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
  server s2 127.0.0.1:81 check`),
  );
  assert.deepEqual(r.diagnostics, []);
  const [s1, s2] = r.model?.backends[0]?.servers ?? [];
  assert.deepEqual(s1?.agent, { port: 9999, inter: 2000, send: 'hello\n', addr: null });
  assert.equal(s1?.observe, 'layer7');
  assert.equal(s1?.errorLimit, 3);
  assert.equal(s1?.onError, 'mark-down');
  assert.equal(s1?.onMarkedDown, 'shutdown-sessions');
  assert.equal(s1?.onMarkedUp, 'shutdown-backup-sessions');
  assert.equal(s2?.agent, null);
  assert.equal(s2?.observe, 'layer7');
});

test('bad health option values are alerts', () => {
  const cases: [string, RegExp][] = [
    ['server s 127.0.0.1:80 observe layer9', /'observe' expects/],
    ['server s 127.0.0.1:80 on-error explode', /'on-error' expects/],
    ['server s 127.0.0.1:80 agent-port 0', /agent-port/],
    ['http-check expect status abc', /invalid status list/],
    ['http-check expect rstring (', /invalid regex/],
    ['http-check frobnicate', /unknown directive/],
  ];
  for (const [line, re] of cases) {
    const r = compileText(base(`  ${line}`));
    assert.equal(r.model, null, line);
    assert.ok(
      r.diagnostics.some((d) => d.severity === 'alert' && re.test(d.message)),
      line,
    );
  }
});

test('checks no longer carry the "not run yet" warning', () => {
  const r = compileText(base(`  option httpchk\n  server s1 127.0.0.1:80 check`));
  assert.deepEqual(r.diagnostics, []);
});

test('init-addr: methods in order, an IP among them, inherited from default-server; absent = last,libc', () => {
  const r = compileText(
    base(`  default-server init-addr libc,none
  server s1 app.local:80
  server s2 app.local:81 init-addr last,10.0.0.9,none
  server s3 10.0.0.1:82 no-check`),
  );
  assert.deepEqual(r.diagnostics, []);
  const [s1, s2, s3] = r.model?.backends[0]?.servers ?? [];
  assert.deepEqual(s1?.initAddr, ['libc', 'none']);
  assert.deepEqual(s2?.initAddr, ['last', 'ip:10.0.0.9', 'none']);
  assert.deepEqual(s3?.initAddr, ['libc', 'none']);
  const plain = compileText(base('  server s1 app.local:80'));
  assert.equal(plain.model?.backends[0]?.servers[0]?.initAddr, undefined);
  const bad = compileText(base('  server s1 app.local:80 init-addr libc,dns'));
  assert.equal(bad.model, null);
  assert.ok(
    bad.diagnostics.some(
      (d) => d.severity === 'alert' && /'init-addr' : unknown method 'dns'/.test(d.message),
    ),
  );
});

test('http-check disable-on-404 compiles; a word after it is an alert', () => {
  const r = compileText(
    base('  option httpchk GET /health\n  http-check disable-on-404\n  server s1 127.0.0.1:80 check'),
  );
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.model?.backends[0]?.httpCheck?.disableOn404, true);
  assert.equal(compileText(base('  http-check disable-on-404 now')).model, null);
});
