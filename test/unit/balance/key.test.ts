import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BalanceModel } from '../../../src/config/model';
import { balanceKey } from '../../../src/balance';
import { domainOnly, pathOf } from '../../../src/balance/key';
import { model } from './fixtures';

const key = (m: BalanceModel, url: string, headers: string[] = [], src = '192.0.2.7'): string | null =>
  balanceKey(m, { src, url, headers });

describe('balanceKey', () => {
  it('source: the client address', () => {
    assert.equal(key(model({ algorithm: 'source' }), '/'), '192.0.2.7');
    assert.equal(key(model({ algorithm: 'source' }), '/', [], ''), null);
  });

  it('uri: the part before the query string', () => {
    const m = model({ algorithm: 'uri' });
    assert.equal(key(m, '/a/b/c?x=1'), '/a/b/c');
    assert.equal(key(m, '/a/b/c'), '/a/b/c');
    assert.equal(key(m, '/?x'), '/');
  });

  it('uri whole: includes the query string', () => {
    assert.equal(key(model({ algorithm: 'uri', uriWhole: true }), '/a/b?x=1&y=2'), '/a/b?x=1&y=2');
  });

  it('uri len: the first n characters', () => {
    assert.equal(key(model({ algorithm: 'uri', uriLen: 4 }), '/abcdef?q'), '/abc');
    assert.equal(key(model({ algorithm: 'uri', uriLen: 10 }), '/ab?q=123456'), '/ab');
    assert.equal(key(model({ algorithm: 'uri', uriLen: 10, uriWhole: true }), '/ab?q=123456'), '/ab?q=1234');
  });

  it('uri depth: stops before the (depth+1)-th slash', () => {
    assert.equal(key(model({ algorithm: 'uri', uriDepth: 1 }), '/a/b/c'), '/a');
    assert.equal(key(model({ algorithm: 'uri', uriDepth: 2 }), '/a/b/c'), '/a/b');
    assert.equal(key(model({ algorithm: 'uri', uriDepth: 5 }), '/a/b/c?x/y'), '/a/b/c');
    assert.equal(key(model({ algorithm: 'uri', uriDepth: 2, uriLen: 3 }), '/abc/def/g'), '/ab');
  });

  it('uri path-only: drops scheme and authority of absolute URIs', () => {
    const m = model({ algorithm: 'uri', uriPathOnly: true });
    assert.equal(key(m, 'http://example.com:8080/a/b?x'), '/a/b');
    assert.equal(key(m, '/a/b?x'), '/a/b');
    assert.equal(key(model({ algorithm: 'uri' }), 'http://example.com/a?x'), 'http://example.com/a');
    assert.equal(pathOf('https://example.com'), '');
    assert.equal(pathOf('*'), '*');
  });

  it('url_param: the value of the named parameter, or null', () => {
    const m = model({ algorithm: 'url_param', param: 'user' });
    assert.equal(key(m, '/p?user=alice'), 'alice');
    assert.equal(key(m, '/p?a=1&user=bob&c=3'), 'bob');
    assert.equal(key(m, '/p?user=&x=1'), '');
    assert.equal(key(m, '/p?username=carol'), null);
    assert.equal(key(m, '/p?xuser=carol'), null);
    assert.equal(key(m, '/p?user'), null);
    assert.equal(key(m, '/p?a=1'), null);
    assert.equal(key(m, '/p/user=x'), null);
    assert.equal(key(m, '/p?user=a&user=b'), 'a');
  });

  it('hdr: the header value, or null when absent or empty', () => {
    const m = model({ algorithm: 'hdr', param: 'x-tenant' });
    assert.equal(key(m, '/', ['host', 'h', 'x-tenant', ' acme ']), 'acme');
    assert.equal(key(m, '/', ['host', 'h']), null);
    assert.equal(key(m, '/', ['x-tenant', '']), null);
    // like HAProxy's http_find_header: first occurrence, first comma-separated value
    assert.equal(key(m, '/', ['x-tenant', 'a, b', 'x-tenant', 'c']), 'a');
  });

  it('hdr use_domain_only: the label before the TLD, ports ignored', () => {
    const m = model({ algorithm: 'hdr', param: 'host', useDomainOnly: true });
    assert.equal(key(m, '/', ['host', 'www.example.com']), 'example');
    assert.equal(key(m, '/', ['host', 'example.com']), 'example');
    assert.equal(key(m, '/', ['host', 'www.example.com:8443']), 'example');
    assert.equal(key(m, '/', ['host', 'example.com:80']), 'example');
    assert.equal(key(m, '/', ['host', 'a.b.example.co']), 'example');
    assert.equal(key(m, '/', ['host', 'localhost:8080']), 'localhost:8080');
    assert.equal(domainOnly('.com'), '.com');
  });

  it('other algorithms have no key', () => {
    for (const algorithm of ['roundrobin', 'static-rr', 'leastconn', 'first', 'random'] as const) {
      assert.equal(key(model({ algorithm }), '/a?b', ['host', 'x']), null);
    }
  });
});
