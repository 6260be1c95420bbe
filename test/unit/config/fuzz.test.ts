// Property tests: no input makes the config pipeline throw, and every alert points at a file and
// a line. The seeds double as regression cases.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../helpers/fuzz';
import { compileText, formatCheckReport } from '../../../src/config/index';
import { lexLine } from '../../../src/config/lexer';

function check(text: string): void {
  const r = compileText(text, 'fuzz.cfg', { A: 'x', B: '' });
  for (const d of r.diagnostics) {
    assert.equal(d.file, 'fuzz.cfg');
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `line of ${d.message}`);
    assert.ok(d.message.length > 0);
  }
  if (r.diagnostics.some((d) => d.severity === 'alert')) assert.equal(r.model, null);
  else assert.ok(r.model !== null);
  formatCheckReport(r, 1);
}

const SEEDS = [
  'frontend f\n bind :80 name\n',
  'backend b\n server a 1.1.1.1:80 weight\n',
  'frontend f\n use_backend b if { path\n',
  'frontend f\n http-request deny if ! \n',
  'frontend f\n acl a path -m\n',
  '.if\n.elif\n.else\n.endif\n.endif\n',
  'global\n log\n stats\n stats socket\n',
  'defaults x from x\nlisten l from x\n',
  'frontend f\n http-request return hdr\n',
  'backend b\n balance random(\n hash-type\n',
  '"\\x',
  "'",
  'frontend "" \n',
  'listen l\n bind [::1\n server s [::1\n',
];

const KEYWORDS = [
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'bind',
  'server',
  'default-server',
  'acl',
  'use_backend',
  'default_backend',
  'http-request',
  'balance',
  'hash-type',
  'option',
  'no',
  'timeout',
  'mode',
  'maxconn',
  'retries',
  'errorfile',
  'log',
  'stats',
  'if',
  'unless',
  '{',
  '}',
  '!',
  'or',
  '||',
  '.if',
  '.elif',
  '.else',
  '.endif',
  '.alert',
  'from',
  'deny',
  'return',
  'redirect',
  'set-header',
  'del-header',
  'path_beg',
  'hdr(host)',
  '-i',
  '-m',
  'reg',
  ':80',
  '1.2.3.4:80',
  '[::1]:8080',
  'check',
  'weight',
  '10',
  '0',
  'x',
  'http',
  'tcp',
  'status',
  'string',
  'content-type',
  'forwardfor',
  'httpchk',
  'uri',
  'url_param',
  'random(3)',
  'socket',
  '"$A"',
  "'q q'",
  '\\ ',
  '#',
  '"${B-d}"',
  '(',
  ')',
  'defined(A)',
  '&&',
];

describe('fuzz', () => {
  test('seed corpus', () => {
    for (const s of SEEDS) check(s);
  });

  test('lexer never throws on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = lexLine(s, { env: { A: '1' }, file: 'f', line: 1 });
        for (const e of r.errors) assert.ok(e.col >= 1);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => check(s)),
      { numRuns: fuzzRuns(300) },
    );
  });

  test('structured random configurations', () => {
    const line = fc
      .tuple(
        fc.constantFrom(...KEYWORDS),
        fc.array(fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 6 })), { maxLength: 8 }),
      )
      .map(([k, rest]) => [k, ...rest].join(' '));
    const cfg = fc
      .array(
        fc.tuple(
          fc.constantFrom(
            'global',
            'defaults',
            'frontend f',
            'backend b',
            'listen l',
            'defaults d',
            'frontend g from d',
          ),
          fc.array(line, { maxLength: 8 }),
        ),
        { maxLength: 6 },
      )
      .map((secs) => secs.map(([h, ls]) => [h, ...ls.map((l) => `    ${l}`)].join('\n')).join('\n'));
    fc.assert(
      fc.property(cfg, (text) => check(text)),
      { numRuns: fuzzRuns(300) },
    );
  });
});
