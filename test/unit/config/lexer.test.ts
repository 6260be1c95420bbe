import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lexLine } from '../../../src/config/lexer';

const lex = (s: string, env: NodeJS.ProcessEnv = {}): string[] => {
  const r = lexLine(s, { env, file: 'f.cfg', line: 7 });
  assert.deepEqual(r.errors, []);
  return r.words.map((w) => w.text);
};
const lexErr = (s: string): string[] =>
  lexLine(s, { env: {}, file: 'f', line: 1 }).errors.map((e) => e.message);

describe('lexer', () => {
  test('splits on spaces and tabs, keeps columns', () => {
    const r = lexLine('  bind\t:80   name x', { env: {}, file: 'f', line: 1 });
    assert.deepEqual(
      r.words.map((w) => [w.text, w.col]),
      [
        ['bind', 3],
        [':80', 8],
        ['name', 14],
        ['x', 19],
      ],
    );
  });

  test('comments end the line unless escaped or quoted', () => {
    assert.deepEqual(lex('server a 1.2.3.4:80 # comment'), ['server', 'a', '1.2.3.4:80']);
    assert.deepEqual(lex('a b#c'), ['a', 'b']);
    assert.deepEqual(lex('a \\#b'), ['a', '#b']);
    assert.deepEqual(lex('a "x # y"'), ['a', 'x # y']);
    assert.deepEqual(lex("a 'x # y'"), ['a', 'x # y']);
  });

  test('backslash escapes', () => {
    assert.deepEqual(lex('a\\ b c'), ['a b', 'c']);
    assert.deepEqual(lex('\\\\ \\\' \\"'), ['\\', "'", '"']);
    assert.deepEqual(lex('x\\ny\\rz\\t'), ['x\ny\rz\t']);
    assert.deepEqual(lex('\\x41\\x7a'), ['Az']);
    assert.deepEqual(lex('^/a\\.b$'), ['^/a\\.b$'], 'unknown escapes stay verbatim');
  });

  test('quotes protect blanks and glue to neighbours', () => {
    assert.deepEqual(lex('a"b c"d e'), ['ab cd', 'e']);
    assert.deepEqual(lex(`x "it's" 'say "hi"'`), ['x', "it's", 'say "hi"']);
    assert.deepEqual(lex('a "" b'), ['a', '', 'b']);
    assert.deepEqual(lex('"a\\"b"'), ['a"b']);
  });

  test('environment variables expand only in double quotes', () => {
    const env = { HOST: 'web', PORT: '8080', EMPTY: '' };
    assert.deepEqual(lex('"$HOST:${PORT}"', env), ['web:8080']);
    assert.deepEqual(lex('$HOST', env), ['$HOST']);
    assert.deepEqual(lex("'$HOST'", env), ['$HOST']);
    assert.deepEqual(lex('"${MISSING-dflt}" "${EMPTY-dflt}" "${HOST-dflt}"', env), ['dflt', '', 'web']);
    assert.deepEqual(lex('"$MISSING"', env), ['']);
    assert.deepEqual(lex('"\\$HOST"', env), ['$HOST']);
    assert.deepEqual(lex('"$.FILE:$.LINE"', env), ['f.cfg:7']);
    assert.deepEqual(lex('"a$"', env), ['a$']);
  });

  test('errors', () => {
    assert.match(lexErr('a "b')[0], /unmatched quote at position 3/);
    assert.match(lexErr("a 'b")[0], /unmatched quote/);
    assert.match(lexErr('a \\xZZ')[0], /invalid hexadecimal/);
    assert.match(lexErr('"${A"')[0], /missing '}'/);
    assert.match(lexErr('"${A[*]}"')[0], /not supported/);
    assert.match(lexErr('a\0b')[0], /NUL/);
  });
});
