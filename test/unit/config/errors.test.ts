import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, compile, oneAlert, warnings } from './helpers';

// BASE is lines 1-6; the snippets below start at line 7.
const BE = `${BASE}backend b\n    server s 1.1.1.1:80\n`;

describe('keyword errors', () => {
  test('unknown keywords suggest the closest one', () => {
    oneAlert(
      `${BASE}    timout client 1s\n`,
      7,
      "unknown keyword 'timout' in 'defaults' section; did you mean 'timeout' maybe ?",
    );
    oneAlert(
      `${BE}    balancee roundrobin\n`,
      9,
      "unknown keyword 'balancee' in 'backend' section; did you mean 'balance' maybe ?",
    );
    const d = oneAlert(`${BE}    zzzzzz\n`, 9, "unknown keyword 'zzzzzz' in 'backend' section");
    assert.ok(!d.message.includes('did you mean'));
    oneAlert('Aglobal\n', 1, "unknown keyword 'Aglobal' out of section.");
    oneAlert(
      `${BE}    option forwardfo\n`,
      9,
      "unknown option 'forwardfo'; did you mean 'forwardfor' maybe ?",
    );
  });

  test('the section matrix', () => {
    oneAlert(
      `${BE}    bind :80\n`,
      9,
      "'bind' not allowed in 'backend' section (backend 'b' has no frontend capability).",
    );
    oneAlert(
      `${BASE}frontend f\n    bind :80\n    server s 1.1.1.1:80\n`,
      9,
      "'server' not allowed in 'frontend' section",
    );
    oneAlert(
      `${BASE}frontend f\n    bind :80\n    balance leastconn\n`,
      9,
      "'balance' not allowed in 'frontend' section",
    );
    oneAlert(`${BE}    use_backend x\n`, 9, "'use_backend' not allowed in 'backend' section");
    oneAlert(`${BE}    default_backend x\n`, 9, "'default_backend' not allowed in 'backend' section");
    oneAlert(`${BE}    maxconn 10\n`, 9, "'maxconn' not allowed in 'backend' section");
    oneAlert(`${BASE}    acl a path /\n`, 7, "'acl' not allowed in anonymous 'defaults' section");
    oneAlert(
      `${BASE}    http-request deny\n`,
      7,
      "'http-request' not allowed in anonymous 'defaults' section",
    );
    oneAlert(`${BASE}    bind :80\n`, 7, "'bind' not allowed in 'defaults' section");
    oneAlert(`${BASE}    server s 1.1.1.1:80\n`, 7, "'server' not allowed in 'defaults' section");
    oneAlert(`${BASE}    use_backend x\n`, 7, "'use_backend' not allowed in 'defaults' section");
  });

  test('side-specific timeouts and options are ignored with a warning, as in HAProxy', () => {
    const w = warnings(`${BE}    timeout client 5s\n    option redispatch\n`);
    assert.ok(w.includes("'timeout client' ignored because backend 'b' has no frontend capability."));
    const w2 = warnings(
      `${BASE}frontend f\n    bind :80\n    option redispatch\n    default_backend b\n${BE.slice(BASE.length)}`,
    );
    assert.ok(w2.includes("'option redispatch' ignored because frontend 'f' has no backend capability."));
  });

  test('HAProxy keywords sluice does not support yet are named', () => {
    const cases: [string, string][] = [
      ['stick-table type ip size 1m', "'stick-table' is not supported by sluice yet"],
      ['stick on src', "'stick' is not supported by sluice yet"],
      ['cookie SRV insert', "'cookie' is not supported by sluice yet"],
      ['compression algo gzip', "'compression' is not supported by sluice yet"],
      ['http-response set-header a b', "'http-response' is not supported by sluice yet"],
      ['tcp-request content accept', "'tcp-request' is not supported by sluice yet"],
      ['server-template s 3 x.local:80', "'server-template' is not supported by sluice yet"],
      ['tcp-check connect', "'tcp-check' is not supported by sluice yet"],
      ['stats show-legends', "'stats show-legends' is not supported by sluice yet"],
      ['option logasap', "'option logasap' is not supported by sluice yet"],
      ['log-format-sd %ci', "'log-format-sd' is not supported by sluice yet"],
      ['option abortonclose', "'option abortonclose' is not supported by sluice yet"],
      ['capture request header Host len 20', "'capture' is not supported by sluice yet"],
      ['server x 1.1.1.1:80 check-ssl', "server option 'check-ssl' is not supported by sluice yet"],
      ['server x 1.1.1.1:80 ssl verify none', "server option 'ssl' is not supported by sluice yet"],
      ['balance rdp-cookie', "'balance rdp-cookie' is not supported by sluice yet"],
      ['mode log', "'mode log' is not supported by sluice yet"],
      ['timeout tarpit 1s', "'timeout tarpit' is not supported by sluice yet"],
    ];
    for (const [line, msg] of cases) oneAlert(`${BE}    ${line}\n`, 9, msg);
    oneAlert(
      `${BASE}frontend f\n    bind :443 ssl crt /x.pem\n`,
      8,
      "bind option 'ssl' is not supported by sluice yet",
    );
    oneAlert(
      `${BASE}frontend f\n    bind :80 accept-proxy\n`,
      8,
      "bind option 'accept-proxy' is not supported by sluice yet",
    );
    oneAlert(`${BASE}frontend f\n    monitor-uri /up\n`, 8, "'monitor-uri' is not supported by sluice yet");
    oneAlert(
      'resolvers dns\n    nameserver a 1.1.1.1:53\n',
      1,
      "'resolvers' section is not supported by sluice yet",
    );
    oneAlert('userlist u\n', 1, "'userlist' section is not supported by sluice yet");
    oneAlert('peers p\n', 1, "'peers' section is not supported by sluice yet");
  });

  test('value errors', () => {
    oneAlert(`${BE}    server t 1.1.1.1:80 weight 257\n`, 9, "'weight' expects an integer between 0 and 256");
    oneAlert(`${BE}    server t 1.1.1.1\n`, 9, 'missing port');
    oneAlert(`${BE}    server t 1.1.1.1:0\n`, 9, 'invalid port');
    oneAlert(`${BE}    server t /run/x.sock\n`, 9, 'only IPv4, IPv6 and host names');
    oneAlert(
      `${BE}    server t 1.1.1.1:80 chek\n`,
      9,
      "unknown server option 'chek'; did you mean 'check' maybe ?",
    );
    oneAlert(`${BE}    server t 1.1.1.1:80 inter\n`, 9, "'inter' expects an argument");
    oneAlert(`${BE}    server t 1.1.1.1:80 rise 0\n`, 9, "'rise' expects an integer between 1");
    oneAlert(`${BE}    server t 1.1.1.1:80 addr nope\n`, 9, "'addr' expects an IPv4 or IPv6 address");
    oneAlert(`${BE}    server s 1.1.1.1:81\n`, 9, "has the same server name 's'");
    oneAlert(`${BE}    server t 1.1.1.1:80 id 1\n    server u 1.1.1.1:80 id 1\n`, 10, 'id 1 already used');
    oneAlert(`${BE}    default-server id 3\n`, 9, "'id' cannot be set on 'default-server'");
    oneAlert(`${BASE}frontend f\n    bind :8000-8010\n`, 8, 'port ranges are not supported by sluice yet');
    oneAlert(`${BASE}frontend f\n    bind example.com:80\n`, 8, 'is not a numeric IPv4 or IPv6 address');
    oneAlert(`${BASE}frontend f\n    bind /run/x.sock\n`, 8, "'unix' sockets are not supported");
    oneAlert(`${BASE}frontend f\n    bind :80 front h2\n`, 8, "bind option 'front' expects 'uws' or 'node'");
    oneAlert(
      `${BASE}frontend f\n    bind :80 nme x\n`,
      8,
      "unknown bind option 'nme'; did you mean 'name' maybe ?",
    );
    oneAlert(`${BASE}frontend f\n    bind 80\n`, 8, 'missing port');
    oneAlert(`${BE}    timeout server 10q\n`, 9, "unknown time unit 'q'");
    oneAlert(`${BE}    timeout sever 10s\n`, 9, "did you mean 'server' maybe ?");
    oneAlert(`${BE}    timeout server\n`, 9, "'timeout server' expects a time");
    oneAlert(`${BE}    mode htp\n`, 9, "unknown proxy mode 'htp'; did you mean 'http' maybe ?");
    oneAlert(`${BE}    balance roundrobbin\n`, 9, "did you mean 'roundrobin' maybe ?");
    oneAlert(`${BE}    balance uri depth x\n`, 9, "'balance uri depth' expects an integer");
    oneAlert(`${BE}    balance hdr()\n`, 9, "'balance hdr' expects a header name");
    oneAlert(`${BE}    hash-type consistent md5\n`, 9, "unknown hash function 'md5'");
    oneAlert(`${BE}    retries -1\n`, 9, "'retries' expects an integer between 0");
    oneAlert(
      `${BE}    option forwardfor except bogus\n`,
      9,
      "'option forwardfor except' expects an IPv4 or IPv6 network",
    );
    oneAlert(`${BE}    option httpchk GET health\n`, 9, "the URI must start with '/'");
    oneAlert(`${BE}    option httpchk GET / HTTP/x\n`, 9, 'invalid HTTP version');
    oneAlert(`${BE}    errorfile 418 /dev/null\n`, 9, "status code '418' cannot be overridden");
    oneAlert(
      `${BE}    errorfile 503 /nonexistent/503.http\n`,
      9,
      "error opening file '/nonexistent/503.http' : No such file or directory",
    );
    oneAlert(`${BE}    no foo\n`, 9, "'no' expects 'option' or 'log'");
    oneAlert(`${BE}    log stdout\n`, 9, 'expects a syslog facility');
  });

  test('proxy-level errors', () => {
    oneAlert(`${BE}backend b\n`, 9, "backend 'b' has the same name as backend 'b' declared at t.cfg:7");
    oneAlert(`${BASE}frontend f\nlisten f\n`, 8, "listen 'f' has the same name as frontend 'f'");
    oneAlert('frontend\n', 1, "'frontend' expects an <id> as an argument.");
    oneAlert('backend a/b\n', 1, "character '/' is not permitted in 'backend' name 'a/b'.");
    oneAlert('listen l 0.0.0.0:80\n', 1, "unexpected argument '0.0.0.0:80'");
    oneAlert(
      `${BASE}frontend f\n    bind :80\n    default_backend nope\n`,
      9,
      "Proxy 'f': unable to find required default_backend: 'nope'.",
    );
    oneAlert(
      `${BASE}frontend f\n    bind :80\n    use_backend nope if TRUE\n`,
      9,
      "unable to find required use_backend: 'nope'",
    );
    oneAlert(
      `${BASE}frontend f\n    bind :80\n    default_backend t\nbackend t\n    mode tcp\n    server s 1.1.1.1:80\n`,
      9,
      "Proxy 'f': unable to use proxy 't' with wrong mode, required: http, has: tcp.",
    );
    oneAlert(`${BASE}frontend f\n    use_backend x%[path]\n`, 8, 'dynamic backend names');
  });

  test('suspicious configurations warn but stay valid', () => {
    const text = `frontend f\n    bind :80\nbackend b\nfrontend g\n    default_backend b\n    timeout client 1s\n`;
    const r = compile(text);
    assert.ok(r.model !== null);
    const w = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.line, d.message]);
    assert.deepEqual(w.slice(0, 2), [
      [1, "missing timeouts for frontend 'f'."],
      [3, "missing timeouts for backend 'b'."],
    ]);
    const msgs = w.map((x) => x[1]);
    assert.ok(
      msgs.includes(
        "frontend 'f' has no 'default_backend' nor 'use_backend' rule; its requests will get a 503.",
      ),
    );
    assert.ok(msgs.includes("backend 'b' has no server; its requests will get a 503."));
    assert.ok(
      msgs.includes(
        "Proxy 'g' has no 'bind' directive. Please declare it as a backend if this was intended.",
      ),
    );
    assert.ok(!msgs.includes("missing timeouts for frontend 'g'."));
    const hint = r.diagnostics.find((d) => d.message.startsWith('missing timeouts'))?.hint ?? '';
    assert.match(hint, /'client', 'connect', 'server'/);
  });
});

describe('no-server warning', () => {
  test('not given when every request is answered by a rule', () => {
    const text = `${BASE}listen l\n    bind :80\n    http-request return status 200\n`;
    assert.ok(!warnings(text).some((w) => w.includes('has no server')));
    assert.ok(
      warnings(`${BASE}listen l\n    bind :80\n    http-request return if TRUE\n`).some((w) =>
        w.includes('has no server'),
      ),
    );
  });
});
