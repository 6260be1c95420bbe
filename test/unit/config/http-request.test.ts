import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpRequestRule } from '../../../src/config/index';
import { BASE, fe, model, oneAlert, warnings } from './helpers';

const FE = `${BASE}
backend b
    server s 1.1.1.1:80
frontend f
    bind :80
    default_backend b
`;

function rule(line: string): HttpRequestRule {
  const m = model(`${FE}    http-request ${line}\n`);
  return fe(m, 'f').httpRequest[0];
}
const dir = mkdtempSync(join(tmpdir(), 'sluice-hr-'));

describe('http-request', () => {
  test('header actions', () => {
    const r = rule('set-header X-Proto https if TRUE');
    assert.equal(r.action, 'set-header');
    assert.ok(r.action === 'set-header');
    assert.deepEqual([r.name, r.value, r.cond?.kind], ['X-Proto', 'https', 'if']);
    assert.deepEqual(r.origin, { file: 't.cfg', line: 13 });
    const a = rule('add-header X-Client "%[src] %ci"');
    assert.ok(a.action === 'add-header');
    assert.deepEqual([a.value, a.cond], ['%[src] %ci', null]);
    const v = rule('set-header X-If if');
    assert.ok(v.action === 'set-header');
    assert.equal(v.value, 'if', 'a value reading "if" is still a value');
    const d = rule('del-header X-Secret');
    assert.ok(d.action === 'del-header');
    assert.equal(d.match, 'str');
    const d2 = rule('del-header ^x- -m reg unless LOCALHOST');
    assert.ok(d2.action === 'del-header');
    assert.deepEqual([d2.match, d2.cond?.kind], ['reg', 'unless']);
  });

  test('allow, deny, return', () => {
    assert.equal(rule('allow if LOCALHOST').action, 'allow');
    const d = rule('deny');
    assert.ok(d.action === 'deny');
    assert.deepEqual([d.status, d.contentType, d.body, d.headers], [403, null, null, []]);
    const d2 = rule(
      'deny deny_status 429 content-type text/plain string "slow down" hdr Retry-After 10 if TRUE',
    );
    assert.ok(d2.action === 'deny');
    assert.deepEqual(
      [d2.status, d2.contentType, d2.body, d2.headers],
      [429, 'text/plain', 'slow down', [['Retry-After', '10']]],
    );
    const r = rule(
      `return status 200 content-type application/json string '{"ok":true}' hdr Cache-Control no-cache`,
    );
    assert.ok(r.action === 'return');
    assert.deepEqual(
      [r.status, r.contentType, r.body, r.headers],
      [200, 'application/json', '{"ok":true}', [['Cache-Control', 'no-cache']]],
    );
    const body = join(dir, 'body.txt');
    writeFileSync(body, 'hello file');
    const r2 = rule(`return status 404 content-type text/plain file ${body}`);
    assert.ok(r2.action === 'return');
    assert.equal(r2.body, 'hello file');
    const ef = join(dir, '503.http');
    writeFileSync(
      ef,
      'HTTP/1.1 503 Busy\r\nContent-Type: text/html\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nbusy!',
    );
    const r3 = rule(`return errorfile ${ef}`);
    assert.ok(r3.action === 'return');
    assert.deepEqual(
      [r3.status, r3.contentType, r3.body, r3.headers],
      [503, 'text/html', 'busy!', [['X-A', '1']]],
    );
    assert.equal((rule('return') as { status: number }).status, 200);
  });

  test('redirect', () => {
    const r = rule('redirect scheme https code 301 if !LOCALHOST');
    assert.ok(r.action === 'redirect');
    assert.deepEqual(
      [r.type, r.target, r.code, r.dropQuery, r.appendSlash],
      ['scheme', 'https', 301, false, false],
    );
    const r2 = rule('redirect prefix https://x.com drop-query append-slash');
    assert.ok(r2.action === 'redirect');
    assert.deepEqual([r2.type, r2.code, r2.dropQuery, r2.appendSlash], ['prefix', 302, true, true]);
    const r3 = rule('redirect location /new code 308');
    assert.ok(r3.action === 'redirect');
    assert.deepEqual([r3.type, r3.target, r3.code], ['location', '/new', 308]);
  });

  test('rules keep their order', () => {
    const m = model(`${FE}    http-request allow if LOCALHOST\n    http-request deny\n`);
    assert.deepEqual(
      fe(m, 'f').httpRequest.map((r) => r.action),
      ['allow', 'deny'],
    );
  });

  test('errors', () => {
    oneAlert(
      `${FE}    http-request set-header X\n`,
      13,
      "'http-request set-header' expects a header name and a value",
    );
    oneAlert(`${FE}    http-request denny\n`, 13, "unknown action 'denny'; did you mean 'deny' maybe ?");
    oneAlert(
      `${FE}    http-request track-sc0 src\n`,
      13,
      "'http-request track-sc0' is not supported by sluice yet",
    );
    oneAlert(`${FE}    http-request deny deny_status 418\n`, 13, "status code '418' not handled");
    oneAlert(`${FE}    http-request deny string x\n`, 13, "a 'content-type' must be set");
    oneAlert(
      `${FE}    http-request return status 204 content-type t/p string x\n`,
      13,
      'cannot have a payload',
    );
    oneAlert(
      `${FE}    http-request return file /nonexistent/f content-type t/p\n`,
      13,
      'No such file or directory',
    );
    oneAlert(`${FE}    http-request deny foo bar\n`, 13, "unknown argument 'foo'");
    oneAlert(`${FE}    http-request redirect to /x\n`, 13, "expects 'location', 'prefix' or 'scheme'");
    oneAlert(`${FE}    http-request redirect location /x code 304\n`, 13, "unsupported HTTP code '304'");
    oneAlert(
      `${FE}    http-request redirect location /x set-cookie a=1\n`,
      13,
      "redirect option 'set-cookie' is not supported",
    );
    oneAlert(`${FE}    http-request allow extra\n`, 13, "expects 'if' or 'unless' here");
    oneAlert(`${FE}    http-request del-header x -m foo\n`, 13, "'-m' expects one of");
    oneAlert(`${FE}    http-request\n`, 13, "'http-request' expects an action");
  });

  test('content-type without payload is a warning; tcp mode ignores rules', () => {
    assert.ok(
      warnings(`${FE}    http-request deny content-type text/plain\n`).some((w) =>
        w.includes("'content-type' ignored"),
      ),
    );
    const tcp = `${BASE.replace('mode http', 'mode tcp')}
backend b
    server s 1.1.1.1:80
frontend f
    bind :80
    default_backend b
    http-request deny
`;
    assert.ok(
      warnings(tcp).includes("'http-request' rules ignored for proxy 'f' as they require HTTP mode."),
    );
    assert.deepEqual(fe(model(tcp), 'f').httpRequest, []);
  });

  test('a header name, value, content-type or redirect target that could split a message is refused', () => {
    // the config's own escapes (\r, \n, \xHH) can write control bytes; sent as they are, a CRLF in
    // a value would add headers or end the head early, towards the server or the client
    const at = `${FE}    http-request `;
    const L = 13;
    oneAlert(
      `${at}set-header X-A "a\\r\\nSet-Cookie: x=1"\n`,
      L,
      "header value 'a\\x0d\\x0aSet-Cookie: x=1' contains a control character",
    );
    oneAlert(`${at}add-header X-A "a\\x00b"\n`, L, 'contains a control character');
    oneAlert(`${at}set-header X-A "a\\x7fb"\n`, L, 'contains a control character');
    oneAlert(`${at}set-header "X A" v\n`, L, "'X A' is not a valid header name");
    oneAlert(`${at}add-header X:A v\n`, L, 'is not a valid header name');
    oneAlert(`${at}return status 200 hdr X-A "a\\nb"\n`, L, 'contains a control character');
    oneAlert(`${at}deny hdr "X\\rA" v\n`, L, 'is not a valid header name');
    oneAlert(
      `${at}return content-type "text/plain\\r\\nX: y" string hi\n`,
      L,
      "content-type 'text/plain\\x0d\\x0aX: y'",
    );
    oneAlert(`${at}redirect location "/a\\r\\nX: y"\n`, L, "redirect location '/a\\x0d\\x0aX: y'");
    oneAlert(`${at}redirect prefix "/a\\nb"\n`, L, 'redirect prefix');
    const be = (line: string): string => `${FE}backend c\n    ${line}\n    server s 1.1.1.1:80\n`;
    oneAlert(be('option forwardfor header "X F"'), 14, 'is not a valid header name');
    oneAlert(be('option httpchk GET "/a b"'), 14, 'visible ASCII characters only');
    oneAlert(be('option httpchk GET / HTTP/1.1 "h\\x01"'), 14, 'contains a control character');
    oneAlert(be('http-check send uri "/a\\nb"'), 14, 'visible ASCII characters only');
    oneAlert(be('http-check send hdr X-A "a\\rb"'), 14, 'contains a control character');
    // an errorfile is split on its line ends: a bare CR or a bad name inside a line is refused
    const cr = join(dir, 'cr.http');
    writeFileSync(cr, 'HTTP/1.1 503 Busy\r\nX-A: a\rSet-Cookie: x=1\r\n\r\nbusy');
    const sp = join(dir, 'sp.http');
    writeFileSync(sp, 'HTTP/1.1 503 Busy\r\nX A: a\r\n\r\nbusy');
    oneAlert(`${at}return errorfile ${cr}\n`, L, 'is not a valid HTTP response');
    oneAlert(`${FE}    errorfile 503 ${sp}\n`, L, 'is not a valid HTTP response');
    oneAlert(`${at}set-header X-A "5 €"\n`, L, "contains '€', beyond U+00FF");
    // tabs and non-ASCII bytes are field content; these stay valid
    const ok = rule('set-header X-A "a\\tb \\xe9"');
    assert.ok(ok.action === 'set-header');
    assert.equal(ok.value, 'a\tb \u00e9');
  });
});
