import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evalCondition } from '../../../src/config/cond-expr';
import { compile, model, oneAlert } from './helpers';

const ev = (s: string, env: NodeJS.ProcessEnv = {}): boolean | string => {
  const r = evalCondition(s === '' ? [] : [s], env);
  return r.ok ? r.value : r.message;
};

describe('.if expressions', () => {
  test('integers, empty, predicates and operators', () => {
    assert.equal(ev(''), false);
    assert.equal(ev('0'), false);
    assert.equal(ev('1'), true);
    assert.equal(ev('-3'), true);
    assert.equal(ev('defined(A)', { A: '' }), true);
    assert.equal(ev('defined(A)'), false);
    assert.equal(ev('streq(a,a)'), true);
    assert.equal(ev('streq(a, a)'), false, 'spaces are part of the argument');
    assert.equal(ev('strneq(a,b)'), true);
    assert.equal(ev('strstr(abc,b)'), true);
    assert.equal(ev('!0'), true);
    assert.equal(ev('1 && 0'), false);
    assert.equal(ev('1 || 0 && 0'), true, '&& binds tighter');
    assert.equal(ev('(1 || 0) && 0'), false);
    assert.equal(ev('!(0 || 0)'), true);
  });

  test('bad expressions', () => {
    assert.match(String(ev('foo')), /unknown term/);
    assert.match(String(ev('nope(1)')), /unknown predicate/);
    assert.match(String(ev('streq(a)')), /expects 2/);
    assert.match(String(ev('version_atleast(2.0)')), /not supported/);
    assert.match(String(ev('(1')), /missing closing/);
    assert.match(String(ev('1 &&')), /unexpected end/);
  });
});

describe('conditional blocks', () => {
  const cfg = (body: string): string => `global\n${body}\n`;
  test('selects branches, nested, with env', () => {
    const text = cfg(`.if defined(BIG)
    maxconn 1000
.elif streq("$MODE",small)
    maxconn 10
.else
    maxconn 5
.endif
.if 0
  .if 1
    maxconn 1
  .endif
  this is "never lexed
.endif`);
    assert.equal(model(text, { BIG: '1' }).global.maxconn, 1000);
    assert.equal(model(text, { MODE: 'small' }).global.maxconn, 10);
    assert.equal(model(text, {}).global.maxconn, 5);
  });

  test('first true branch wins', () => {
    const t = cfg('.if 1\n maxconn 1\n.elif 1\n maxconn 2\n.else\n maxconn 3\n.endif');
    assert.equal(model(t).global.maxconn, 1);
  });

  test('directives', () => {
    const r = compile('.notice hello there\n.warning careful\n.diag d\n');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.line, d.message]),
      [
        ['notice', 1, 'hello there'],
        ['warning', 2, 'careful'],
        ['notice', 3, 'd'],
      ],
    );
    assert.ok(r.model !== null);
    oneAlert('global\n.alert stop "$WHO"\n', 2, 'stop me', { WHO: 'me' });
    assert.ok(compile('.if 0\n.alert no\n.endif\n').model !== null, 'inactive directives do nothing');
  });

  test('unbalanced blocks report their line', () => {
    oneAlert('global\n.if 1\n', 2, "non-terminated '.if' block");
    oneAlert('global\n.endif\n', 2, "'.endif' appears without a matching '.if'");
    oneAlert('global\n.else\n', 2, "'.else' appears without");
    oneAlert('global\n.if 1\n.else\n.elif 1\n.endif\n', 4, "after '.else'");
    oneAlert('global\n.if foo(\n.endif\n', 2, 'failed to parse condition');
    oneAlert('global\n.iff 1\n', 2, "unknown directive '.iff'; did you mean '.if' maybe ?");
  });
});
