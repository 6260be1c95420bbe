import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FrontendModel, UseBackendRule } from '../../../src/config/model';
import { compileBackendSelector } from '../../../src/http/rules';
import { ORIGIN, cond, ex, ref, term } from './helpers';

const fe = (useBackend: UseBackendRule[], defaultBackend: string | null): FrontendModel =>
  ({ name: 'fe', useBackend, defaultBackend }) as unknown as FrontendModel;
const use = (backend: string, pathBeg: string | null): UseBackendRule => ({
  backend,
  cond: pathBeg === null ? null : cond('if', [ref([term('path', 'beg', [pathBeg])])]),
  origin: ORIGIN,
});

test('first matching use_backend wins, in declaration order', () => {
  const pick = compileBackendSelector(
    fe([use('api_v2', '/api/v2'), use('api', '/api'), use('never', '/api/v2')], 'web'),
  );
  assert.equal(pick(ex('/api/v2/x')), 'api_v2');
  assert.equal(pick(ex('/api/v1')), 'api');
  assert.equal(pick(ex('/')), 'web');
});

test('unconditional use_backend shadows later ones and the default', () => {
  const pick = compileBackendSelector(fe([use('all', null), use('api', '/api')], 'web'));
  assert.equal(pick(ex('/api')), 'all');
});

test('no match and no default_backend gives null', () => {
  const pick = compileBackendSelector(fe([use('api', '/api')], null));
  assert.equal(pick(ex('/')), null);
  assert.equal(compileBackendSelector(fe([], null))(ex('/')), null);
  assert.equal(compileBackendSelector(fe([], 'd'))(ex('/')), 'd');
});

test('a log-format backend name is expanded per request', () => {
  const pick = compileBackendSelector(fe([use('be_%[hdr(host),lower]', null)], null));
  assert.equal(pick(ex('/', ['host', 'Shop'])), 'be_shop');
});
