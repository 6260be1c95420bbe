import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Condition,
  ErrorFileModel,
  HttpRequestAction,
  HttpRequestRule,
} from '../../../src/config/model';
import { errorReply } from '../../../src/http/errors';
import { compileHttpRequestRules } from '../../../src/http/rules';
import { ORIGIN, cond, ex, ref, term } from './helpers';

const rule = (a: HttpRequestAction, c: Condition | null = null): HttpRequestRule => ({
  ...a,
  cond: c,
  origin: ORIGIN,
});
const run = (rules: HttpRequestRule[], e = ex('/'), files: ErrorFileModel[] = []) =>
  compileHttpRequestRules(rules, files)(e);
const redirect = (
  type: 'location' | 'prefix' | 'scheme',
  target: string,
  o: { code?: 301 | 302 | 303 | 307 | 308; dropQuery?: boolean; appendSlash?: boolean } = {},
): HttpRequestRule =>
  rule({
    action: 'redirect',
    type,
    target,
    code: o.code ?? 302,
    dropQuery: o.dropQuery ?? false,
    appendSlash: o.appendSlash ?? false,
  });
const location = (r: ReturnType<typeof run>): string | undefined => {
  const h = r?.headers ?? [];
  for (let i = 0; i < h.length; i += 2) if (h[i] === 'location') return h[i + 1];
  return undefined;
};

test('no rules let everything through', () => {
  assert.equal(run([]), null);
});

test('set-header computes the value before removing the old one', () => {
  const e = ex('/', ['x', 'old', 'other', '1', 'x', 'older']);
  assert.equal(run([rule({ action: 'set-header', name: 'X', value: '%[hdr(x)]-suffix' })], e), null);
  assert.deepEqual(e.headers, ['other', '1', 'x', 'older-suffix']);
});

test('add-header appends, del-header removes every occurrence', () => {
  const e = ex('/', ['a', '1', 'b', '2', 'a', '3']);
  run(
    [
      rule({ action: 'add-header', name: 'C', value: '%[src]' }),
      rule({ action: 'add-header', name: 'c', value: 'lit' }),
      rule({ action: 'del-header', name: 'A', match: 'str' }),
    ],
    e,
  );
  assert.deepEqual(e.headers, ['b', '2', 'c', '192.0.2.10', 'c', 'lit']);
});

test('del-header with -m beg/end/sub/reg', () => {
  const hdrs = () => ['x-foo', '1', 'x-bar', '2', 'y-foo', '3', 'host', 'h'];
  const names = (match: 'beg' | 'end' | 'sub' | 'reg', name: string): string[] => {
    const e = ex('/', hdrs());
    run([rule({ action: 'del-header', name, match })], e);
    return e.headers.filter((_, i) => i % 2 === 0);
  };
  assert.deepEqual(names('beg', 'X-'), ['y-foo', 'host']);
  assert.deepEqual(names('end', '-foo'), ['x-bar', 'host']);
  assert.deepEqual(names('sub', 'o'), ['x-bar']);
  assert.deepEqual(names('reg', '^X-(foo|bar)$'), ['y-foo', 'host']);
});

test('rules run in order and conditions apply', () => {
  const isApi = cond('if', [ref([term('path', 'beg', ['/api'])])]);
  const rules = [
    rule({ action: 'set-header', name: 'x-step', value: 'one' }),
    rule({ action: 'set-header', name: 'x-step', value: '%[hdr(x-step)],two' }, isApi),
    rule({ action: 'add-header', name: 'x-done', value: '%[hdr(x-step)]' }),
  ];
  const api = ex('/api');
  run(rules, api);
  assert.deepEqual(api.headers, ['x-step', 'one,two', 'x-done', 'two']);
  const other = ex('/');
  run(rules, other);
  assert.deepEqual(other.headers, ['x-step', 'one', 'x-done', 'one']);
});

test('allow stops evaluation without a reply', () => {
  const e = ex('/');
  const r = run(
    [
      rule({ action: 'allow' }),
      rule({ action: 'deny', status: 403, contentType: null, body: null, headers: [] }),
      rule({ action: 'add-header', name: 'x', value: 'y' }),
    ],
    e,
  );
  assert.equal(r, null);
  assert.deepEqual(e.headers, []);
});

test('deny without a body is the catalogue page, or the errorfile', () => {
  const deny = (status: number) =>
    rule({ action: 'deny', status, contentType: null, body: null, headers: [] });
  const r = run([deny(403)]);
  assert.equal(r, errorReply(403));
  assert.equal(r?.status, 403);
  assert.match(String(r?.body), /Request forbidden by administrative rules/);
  const tooMany = run([deny(429)]);
  assert.equal(tooMany?.status, 429);
  const file: ErrorFileModel = {
    status: 403,
    file: '403.http',
    raw: 'HTTP/1.1 403 Nope\r\nx-custom: 1\r\n\r\ncustom',
  };
  const custom = run([deny(403)], ex('/'), [file]);
  assert.equal(custom?.body, 'custom');
  assert.deepEqual(custom?.headers, ['x-custom', '1']);
});

test('deny with a body, content-type and headers', () => {
  const r = run([
    rule({
      action: 'deny',
      status: 401,
      contentType: 'text/plain',
      body: 'no\n',
      headers: [
        ['WWW-Authenticate', 'Basic realm="x"'],
        ['x-client', '%[src]'],
      ],
    }),
  ]);
  assert.deepEqual(r, {
    status: 401,
    headers: ['content-type', 'text/plain', 'www-authenticate', 'Basic realm="x"', 'x-client', '192.0.2.10'],
    body: 'no\n',
  });
});

test('return: default empty reply, and with content', () => {
  const empty = run([rule({ action: 'return', status: 200, contentType: null, body: null, headers: [] })]);
  assert.deepEqual({ ...empty }, { status: 200, headers: [], body: '' });
  const full = run([
    rule({
      action: 'return',
      status: 503,
      contentType: 'application/json',
      body: '{"ok":false}',
      headers: [['Retry-After', '5']],
    }),
  ]);
  assert.deepEqual(
    { ...full },
    {
      status: 503,
      headers: ['content-type', 'application/json', 'retry-after', '5'],
      body: '{"ok":false}',
    },
  );
});

test('the first final action wins; later rules do not run', () => {
  const e = ex('/');
  const r = run(
    [
      rule({ action: 'return', status: 204, contentType: null, body: null, headers: [] }),
      rule({ action: 'deny', status: 403, contentType: null, body: null, headers: [] }),
    ],
    e,
  );
  assert.equal(r?.status, 204);
});

test('redirect location is used as-is (log-format expanded)', () => {
  const r = run([redirect('location', 'https://example.org/x?y=1', { code: 301 })], ex('/a?b=c'));
  assert.equal(r?.status, 301);
  assert.equal(location(r), 'https://example.org/x?y=1');
  assert.deepEqual(r?.headers, ['content-length', '0', 'location', 'https://example.org/x?y=1']);
  assert.equal(r?.body, '');
  assert.equal(r?.close, false);
  const dyn = run(
    [redirect('location', 'https://%[hdr(host)]/login', { appendSlash: true })],
    ex('/', ['host', 'h.io']),
  );
  assert.equal(location(dyn), 'https://h.io/login', 'append-slash does not apply to location');
});

test('redirect prefix keeps the query unless drop-query', () => {
  assert.equal(
    location(run([redirect('prefix', 'https://new.example')], ex('/a/b?q=1'))),
    'https://new.example/a/b?q=1',
  );
  assert.equal(
    location(run([redirect('prefix', 'https://new.example', { dropQuery: true })], ex('/a/b?q=1'))),
    'https://new.example/a/b',
  );
  assert.equal(location(run([redirect('prefix', '/v2')], ex('/a'))), '/v2/a');
});

test('redirect prefix / with append-slash redirects to self with a slash', () => {
  const r = run([redirect('prefix', '/', { code: 301, dropQuery: true, appendSlash: true })], ex('/dir?x=1'));
  assert.equal(location(r), '/dir/');
  assert.equal(location(run([redirect('prefix', '/', { appendSlash: true })], ex('/dir/'))), '/dir/');
  assert.equal(
    location(run([redirect('prefix', '/', { appendSlash: true })], ex('/dir?x=1'))),
    '/dir?x=1/',
    'as HAProxy',
  );
});

test('redirect scheme builds <scheme>://<Host><url>', () => {
  const r = run([redirect('scheme', 'https')], ex('/p?q=1', ['host', 'example.com:8080']));
  assert.equal(location(r), 'https://example.com:8080/p?q=1');
  assert.equal(r?.status, 302);
  assert.deepEqual(r?.headers, [
    'content-length',
    '0',
    'location',
    'https://example.com:8080/p?q=1',
    'cache-control',
    'no-cache',
  ]);
  assert.equal(
    location(
      run([redirect('scheme', 'https', { dropQuery: true, appendSlash: true })], ex('/p?q=1', ['host', 'h'])),
    ),
    'https://h/p/',
  );
  assert.equal(
    location(run([redirect('scheme', 'https')], ex('/p'))),
    'https:///p',
    'no Host header: empty host',
  );
});

test('redirect codes: cache-control only for 302/303/307; close only with a pending body', () => {
  for (const code of [301, 302, 303, 307, 308] as const) {
    const r = run([redirect('location', '/x', { code })]);
    assert.equal(r?.status, code);
    assert.equal(
      r?.headers.includes('cache-control'),
      code === 302 || code === 303 || code === 307,
      String(code),
    );
  }
  const post = ex('/', ['content-length', '10'], { method: 'POST' });
  assert.equal(run([redirect('location', '/x')], post)?.close, true);
  const chunked = ex('/', ['transfer-encoding', 'chunked'], { method: 'POST' });
  assert.equal(run([redirect('location', '/x')], chunked)?.close, true);
  assert.equal(run([redirect('location', '/x')], ex('/', ['content-length', '0']))?.close, false);
});

test('static replies are built once', () => {
  const f = compileHttpRequestRules(
    [rule({ action: 'return', status: 200, contentType: 'text/plain', body: 'ok', headers: [['x', 'y']] })],
    [],
  );
  assert.equal(f(ex('/')), f(ex('/other')));
});
