import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCondition } from '../../../src/http/rules';
import { cond, ex, ref, term } from './helpers';

const isApi = ref([term('path', 'beg', ['/api'])], false, 'is_api');
const isPost = ref([term('method', 'str', ['POST'])], false, 'is_post');
const admin = ref([term('path', 'beg', ['/admin']), term('path', 'beg', ['/internal'])], false, 'admin');

test('null is always true', () => {
  assert.ok(compileCondition(null)(ex('/')));
});

test('AND within a conjunction', () => {
  const c = compileCondition(cond('if', [isApi, isPost]));
  assert.ok(c(ex('/api/x', [], { method: 'POST' })));
  assert.ok(!c(ex('/api/x')));
  assert.ok(!c(ex('/x', [], { method: 'POST' })));
});

test('OR between conjunctions', () => {
  const c = compileCondition(cond('if', [isApi], [isPost]));
  assert.ok(c(ex('/api')));
  assert.ok(c(ex('/', [], { method: 'POST' })));
  assert.ok(!c(ex('/')));
});

test('an ACL declared several times ORs its terms', () => {
  const c = compileCondition(cond('if', [admin]));
  assert.ok(c(ex('/admin/x')));
  assert.ok(c(ex('/internal')));
  assert.ok(!c(ex('/public')));
});

test('negation of a term and unless', () => {
  const notApi = compileCondition(cond('if', [ref(isApi.terms, true)]));
  assert.ok(notApi(ex('/')));
  assert.ok(!notApi(ex('/api')));
  const unless = compileCondition(cond('unless', [isApi, isPost]));
  assert.ok(!unless(ex('/api', [], { method: 'POST' })));
  assert.ok(unless(ex('/api')));
  const negatedMulti = compileCondition(cond('if', [ref(admin.terms, true)]));
  assert.ok(!negatedMulti(ex('/internal')), 'negation applies to the OR of the declarations');
});

test('anonymous ACLs behave as named ones', () => {
  const anon = ref([term('hdr', 'found', [], { arg: 'x-debug' })], false, '{ hdr(x-debug) -m found }');
  const c = compileCondition(cond('if', [isApi, anon]));
  assert.ok(c(ex('/api', ['x-debug', '1'])));
  assert.ok(!c(ex('/api')));
});

test('unless with OR: true only when no alternative matches', () => {
  const c = compileCondition(cond('unless', [isApi], [isPost]));
  assert.ok(c(ex('/')));
  assert.ok(!c(ex('/api')));
  assert.ok(!c(ex('/', [], { method: 'POST' })));
});
