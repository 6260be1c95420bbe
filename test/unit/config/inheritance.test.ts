import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { be, fe, model, oneAlert } from './helpers';

describe('defaults inheritance', () => {
  test('a proxy takes the last defaults section declared before it', () => {
    const m = model(`defaults
    mode http
    timeout client 1s
    timeout connect 1s
    timeout server 1s
    balance leastconn
    retries 7
    option forwardfor
    default-server check weight 5
backend b1
    server s 1.1.1.1:80
defaults
    timeout client 2s
    timeout connect 2s
    timeout server 2s
backend b2
    server s 1.1.1.1:80
`);
    const b1 = be(m, 'b1');
    assert.deepEqual(
      [b1.mode, b1.balance.algorithm, b1.retries, b1.timeouts.client],
      ['http', 'leastconn', 7, 1000],
    );
    assert.deepEqual([b1.servers[0].check.enabled, b1.servers[0].weight], [true, 5]);
    assert.ok(b1.forwardFor !== null);
    const b2 = be(m, 'b2');
    // A new defaults section starts from scratch, not from the previous one.
    assert.deepEqual(
      [b2.mode, b2.balance.algorithm, b2.retries, b2.timeouts.client],
      ['tcp', 'roundrobin', 3, 2000],
    );
    assert.deepEqual([b2.servers[0].check.enabled, b2.servers[0].weight], [false, 1]);
  });

  test('named defaults, `from` in proxies and in defaults', () => {
    const m = model(`defaults base
    mode http
    timeout client 1s
    timeout connect 1s
    timeout server 1s
defaults strict from base
    timeout server 9s
    retries 1
defaults other
    mode tcp
    timeout client 5s
    timeout connect 5s
    timeout server 5s
backend implicit
    server s 1.1.1.1:80
backend explicit from strict
    server s 1.1.1.1:80
frontend f from base
    bind :80
    default_backend explicit
`);
    assert.equal(be(m, 'implicit').mode, 'tcp');
    const e = be(m, 'explicit');
    assert.deepEqual([e.mode, e.timeouts.server, e.timeouts.client, e.retries], ['http', 9000, 1000, 1]);
    assert.equal(fe(m, 'f').mode, 'http');
  });

  test('a proxy overrides what it inherits', () => {
    const m = model(`defaults
    mode http
    timeout client 1s
    timeout connect 1s
    timeout server 1s
    option httpchk GET /h
    option redispatch
backend b
    timeout server 5s
    no option redispatch
    option httpchk HEAD /x
    server s 1.1.1.1:80
`);
    const b = be(m, 'b');
    assert.equal(b.timeouts.server, 5000);
    assert.equal(b.timeouts.client, 1000);
    assert.equal(b.redispatch.enabled, false);
    assert.deepEqual(b.httpCheck, { method: 'HEAD', uri: '/x', version: 'HTTP/1.0', host: null });
  });

  test('rules of a named defaults section run before the proxy own ones', () => {
    const m = model(`defaults web
    mode http
    timeout client 1s
    timeout connect 1s
    timeout server 1s
    acl internal src 10.0.0.0/8
    http-request deny unless internal
backend b from web
    http-request set-header X-A 1
    server s 1.1.1.1:80
`);
    const rules = be(m, 'b').httpRequest;
    assert.deepEqual(
      rules.map((r) => r.action),
      ['deny', 'set-header'],
    );
    assert.equal(rules[0].cond?.anyOf[0][0].terms[0].patterns[0], '10.0.0.0/8');
    assert.deepEqual(be(m, 'b').acls, [], 'the ACLs of the defaults section stay there');
  });

  test('errors', () => {
    oneAlert('backend b from nowhere\n', 1, "defaults section 'nowhere' not found for backend 'b'.");
    oneAlert('defaults a\ndefaults a\n', 2, "defaults section 'a' has the same name");
    oneAlert('backend b from later\ndefaults later\n', 1, "defaults section 'later' not found");
    oneAlert(
      'defaults web\n    mode http\n    http-request deny\nbackend b\n    server s 1.1.1.1:80\n',
      4,
      "backend 'b' cannot use defaults section 'web' implicitly because it declares 'http-request' rules; use 'backend b from web'.",
    );
  });
});
