import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AclTerm } from '../../../src/config/index';
import { BASE, fe, model, oneAlert, warnings } from './helpers';

const FE = `${BASE}
backend b
    server s 1.1.1.1:80
frontend f
    bind :80
    default_backend b
`;

/** Declares `acl x <expr>`, uses it, and returns its single term. */
function term(expr: string): AclTerm {
  const m = model(`${FE}    acl x ${expr}\n    http-request deny if x\n`);
  const acl = fe(m, 'f').acls.find((a) => a.name === 'x');
  assert.ok(acl !== undefined);
  return acl.terms[0];
}

const short = (t: AclTerm): unknown[] => [t.fetch, t.arg, t.match, t.ignoreCase, t.patterns];

describe('acl', () => {
  test('fetches and derived keywords', () => {
    assert.deepEqual(short(term('path /a /b')), ['path', null, 'str', false, ['/a', '/b']]);
    for (const m of ['beg', 'end', 'sub', 'reg', 'dir', 'dom', 'len'] as const) {
      const pat = m === 'len' ? '3' : '/a';
      assert.deepEqual(short(term(`path_${m} ${pat}`)), ['path', null, m, false, [pat]]);
      assert.deepEqual(short(term(`url_${m} ${pat}`)), ['url', null, m, false, [pat]]);
      assert.deepEqual(short(term(`hdr_${m}(X-Y) ${pat}`)), ['hdr', 'x-y', m, false, [pat]]);
      assert.deepEqual(short(term(`urlp_${m}(id) ${pat}`)), ['url_param', 'id', m, false, [pat]]);
    }
    assert.deepEqual(short(term('url /')), ['url', null, 'str', false, ['/']]);
    assert.deepEqual(short(term('query a=1')), ['query', null, 'str', false, ['a=1']]);
    assert.deepEqual(short(term('url_param(id) 7')), ['url_param', 'id', 'str', false, ['7']]);
    assert.deepEqual(short(term('urlp(id) 7')), ['url_param', 'id', 'str', false, ['7']]);
    assert.deepEqual(short(term('hdr(Host) -i a.com')), ['hdr', 'host', 'str', true, ['a.com']]);
    assert.deepEqual(short(term('req.hdr(host) a')), ['hdr', 'host', 'str', false, ['a']]);
    assert.deepEqual(short(term('method GET POST')), ['method', null, 'str', false, ['GET', 'POST']]);
    assert.deepEqual(short(term('src 10.0.0.0/8 192.168.1.1 ::1 fe80::/10 10.0.0.0/255.0.0.0')), [
      'src',
      null,
      'ip',
      false,
      ['10.0.0.0/8', '192.168.1.1', '::1', 'fe80::/10', '10.0.0.0/255.0.0.0'],
    ]);
    assert.deepEqual(short(term('dst_port 80 8000:8080 ge 1024 :99')), [
      'dst_port',
      null,
      'int',
      false,
      ['80', '8000:8080', 'ge 1024', ':99'],
    ]);
  });

  test('flags', () => {
    assert.deepEqual(short(term('path -m beg /a')), ['path', null, 'beg', false, ['/a']]);
    assert.deepEqual(short(term('hdr(x) -m found')), ['hdr', 'x', 'found', false, []]);
    assert.deepEqual(short(term('path -i -m reg ^/A')), ['path', null, 'reg', true, ['^/A']]);
    assert.deepEqual(short(term('path -- -x')), ['path', null, 'str', false, ['-x']]);
    assert.deepEqual(short(term('hdr(x) -m int gt 3')), ['hdr', 'x', 'int', false, ['gt 3']]);
    assert.deepEqual(short(term('path -m len 5')), ['path', null, 'len', false, ['5']]);
    assert.deepEqual(short(term('src -m ip 1.2.3.4')), ['src', null, 'ip', false, ['1.2.3.4']]);
    assert.deepEqual(term('path /x').origin, { file: 't.cfg', line: 13 });
  });

  test('several declarations of a name are OR-ed', () => {
    const m = model(`${FE}    acl x path /a\n    acl x path_beg /b\n    use_backend b if x\n`);
    assert.equal(fe(m, 'f').acls[0].terms.length, 2);
    assert.equal(fe(m, 'f').useBackend[0].cond?.anyOf[0][0].terms.length, 2);
  });

  test('errors carry the line', () => {
    oneAlert(`${FE}    acl x path_reg ^(a\n`, 13, "regex '^(a' is invalid");
    oneAlert(`${FE}    acl x src 300.1.1.1\n`, 13, "'300.1.1.1' is not a valid IPv4 or IPv6");
    oneAlert(`${FE}    acl x src 10.0.0.0/33\n`, 13, 'not a valid IPv4');
    oneAlert(`${FE}    acl x dst_port abc\n`, 13, "'abc' is not a valid integer");
    oneAlert(
      `${FE}    acl x pth /a\n`,
      13,
      "unknown fetch method 'pth' in ACL expression 'pth'; did you mean 'path' maybe ?",
    );
    oneAlert(`${FE}    acl x ssl_fc\n`, 13, "fetch 'ssl_fc' is not supported by sluice yet");
    oneAlert(`${FE}    acl x path,lower /a\n`, 13, 'converters');
    oneAlert(`${FE}    acl x hdr /a\n`, 13, "fetch method 'hdr' expects an argument");
    oneAlert(`${FE}    acl x path(a) /a\n`, 13, 'takes no argument');
    oneAlert(`${FE}    acl x path_beg -m str /a\n`, 13, "'-m' cannot be used with ACL keyword 'path_beg'");
    oneAlert(`${FE}    acl x path -m nope /a\n`, 13, "unknown match method 'nope'");
    oneAlert(`${FE}    acl x path -z /a\n`, 13, "'-z' is not a valid ACL option");
    oneAlert(`${FE}    acl x path -f /etc/list\n`, 13, "ACL flag '-f' is not supported by sluice yet");
    oneAlert(`${FE}    acl x path -m found /a\n`, 13, "'-m found' takes no pattern");
    oneAlert(`${FE}    acl x$ path /a\n`, 13, "character '$' is not permitted in acl name");
    oneAlert(`${FE}    acl x\n`, 13, 'missing ACL criterion');
  });
});

describe('conditions', () => {
  test('AND by juxtaposition, or/||, negation, anonymous ACLs', () => {
    const m = model(`${FE}    acl a path /a
    acl b path /b
    acl c path /c
    use_backend b if a !b or ! c || { hdr(host) -i x.com } METH_GET
    use_backend b unless TRUE
`);
    const c = fe(m, 'f').useBackend[0].cond;
    assert.ok(c !== null);
    assert.equal(c.kind, 'if');
    assert.deepEqual(
      c.anyOf.map((g) => g.map((t) => [t.name, t.negate])),
      [
        [
          ['a', false],
          ['b', true],
        ],
        [['c', true]],
        [
          ['{ hdr(host) -i x.com }', false],
          ['METH_GET', false],
        ],
      ],
    );
    assert.deepEqual(short(c.anyOf[2][0].terms[0]), ['hdr', 'host', 'str', true, ['x.com']]);
    assert.deepEqual(c.anyOf[2][1].terms[0].patterns, ['GET', 'HEAD']);
    assert.equal(fe(m, 'f').useBackend[1].cond?.kind, 'unless');
  });

  test('predefined ACLs', () => {
    const pre = (name: string): AclTerm => {
      const m = model(`${FE}    http-request deny if ${name}\n`);
      return fe(m, 'f').httpRequest[0].cond?.anyOf[0][0].terms[0] as AclTerm;
    };
    assert.equal(pre('TRUE').fetch, 'always_true');
    assert.equal(pre('FALSE').fetch, 'always_false');
    assert.deepEqual(short(pre('HTTP_1.0')), ['req_ver', null, 'str', false, ['1.0']]);
    assert.deepEqual(short(pre('HTTP_1.1')), ['req_ver', null, 'str', false, ['1.1']]);
    assert.deepEqual(short(pre('LOCALHOST')), ['src', null, 'ip', false, ['127.0.0.1/8', '::1']]);
    for (const m of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE']) {
      assert.deepEqual(pre(`METH_${m}`).patterns, [m]);
    }
  });

  test('errors', () => {
    oneAlert(`${FE}    use_backend b if nope\n`, 13, "no such ACL : 'nope'");
    oneAlert(
      `${FE}    acl is_api path /api\n    use_backend b if is_ap\n`,
      14,
      "no such ACL : 'is_ap'; did you mean 'is_api' maybe ?",
    );
    oneAlert(`${FE}    use_backend b if { path /a\n`, 13, "missing closing '}'");
    oneAlert(`${FE}    use_backend b if\n`, 13, "missing condition after 'if'");
    oneAlert(`${FE}    use_backend b if TRUE or\n`, 13, 'empty term');
    oneAlert(
      `${FE}    use_backend b if HTTP_2.0\n`,
      13,
      "predefined ACL 'HTTP_2.0' is not supported by sluice yet",
    );
    oneAlert(`${FE}    use_backend b if { }\n`, 13, 'empty anonymous ACL');
    oneAlert(`${FE}    use_backend b when TRUE\n`, 13, "expects 'if' or 'unless'");
    oneAlert(`${FE}    use_backend b if x\n    acl x path /\n`, 13, "no such ACL : 'x'");
  });

  test('unused ACLs are reported', () => {
    const w = warnings(`${FE}    acl used path /a\n    acl idle path /b\n    use_backend b if used\n`);
    assert.deepEqual(
      w.filter((x) => x.includes('acl')),
      ["acl 'idle' declared but never used in frontend 'f'."],
    );
  });
});
