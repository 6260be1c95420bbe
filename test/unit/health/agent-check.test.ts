// The agent protocol: every word HAProxy's agent understands, and how the store combines what the
// agent says with the check's verdict and the operator's admin state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServerStateStore, type CheckResult } from '../../../src/health';
import { parseAgentReply } from '../../../src/health/agent-check';
import { checkModel, oneServer, serverModel } from '../../helpers/model';

test('each word of a reply line, in any case and with a # description', () => {
  const p = (line: string) => {
    const r = parseAgentReply(line);
    return [r.oper, r.admin, r.weightPct, r.desc, r.garbage];
  };
  assert.deepEqual(p('up'), ['up', null, null, '', false]);
  assert.deepEqual(p('DOWN#disk full'), ['down', null, null, 'disk full', false]);
  assert.deepEqual(p('fail'), ['down', null, null, '', false]);
  assert.deepEqual(p('stopped'), ['down', null, null, '', false]);
  assert.deepEqual(p('ready'), [null, 'READY', null, '', false]);
  assert.deepEqual(p('drain'), [null, 'DRAIN', null, '', false]);
  assert.deepEqual(p('maint'), [null, 'MAINT', null, '', false]);
  assert.deepEqual(p('75%'), [null, null, 75, '', false]);
  // several words at once, comma or space separated; percentages capped at 256 as in HAProxy
  assert.deepEqual(p('up,drain 999%'), ['up', 'DRAIN', 256, '', false]);
  assert.deepEqual(p('maxconn:10 up'), ['up', null, null, '', false]);
  assert.deepEqual(p('hello there'), [null, null, null, '', true]);
  assert.deepEqual(p(''), [null, null, null, '', true]);
});

function agentFixture() {
  const m = oneServer(
    serverModel({
      name: 's1',
      port: 8001,
      weight: 40,
      check: checkModel({ enabled: true, rise: 1, fall: 1 }),
      agent: { port: 9999, inter: 100, send: null, addr: null },
    }),
  );
  const store = createServerStateStore(m);
  const s = store.state('web', 's1');
  assert.ok(s !== undefined);
  const reply: CheckResult = { ok: true, status: 'L7OK', code: null, info: '', durationMs: 1 };
  const say = (line: string): void => store.reportAgent(s, reply, parseAgentReply(line));
  return { store, say };
}

test('the agent and the check combine: either one down is DOWN; 50% is of the configured weight', () => {
  const { store, say } = agentFixture();
  say('50%');
  assert.equal(store.find('web', 's1')?.effectiveWeight, 20);
  say('down');
  assert.equal(store.find('web', 's1')?.status, 'DOWN (agent)');
  say('up');
  assert.equal(store.find('web', 's1')?.status, 'UP');
  store.reportCheck('web', 's1', { ok: false, status: 'L7STS', code: 500, info: '', durationMs: 1 });
  assert.equal(store.find('web', 's1')?.status, 'DOWN');
  // the agent's `up` cannot lift a failing check
  say('up');
  assert.equal(store.find('web', 's1')?.oper, 'DOWN');
});

test('agent drain and maint apply whatever the line also says; the stricter of agent and operator wins', () => {
  const { store, say } = agentFixture();
  say('up drain');
  assert.equal(store.find('web', 's1')?.status, 'DRAIN (agent)');
  say('maint');
  assert.equal(store.find('web', 's1')?.status, 'MAINT');
  say('ready');
  assert.equal(store.find('web', 's1')?.status, 'UP');
  store.setAdmin('web', 's1', 'MAINT');
  say('ready');
  assert.equal(store.find('web', 's1')?.status, 'MAINT', 'the operator MAINT stays');
});

test('garbage and unreachable agents are counted in chkfail but change no state', () => {
  const { store } = agentFixture();
  const s = store.state('web', 's1');
  assert.ok(s !== undefined);
  store.reportAgent(
    s,
    { ok: true, status: 'L7OK', code: null, info: 'HELLO?', durationMs: 1 },
    parseAgentReply('HELLO?'),
  );
  store.reportAgent(s, { ok: false, status: 'L7TOUT', code: null, info: '', durationMs: 200 }, null);
  store.reportAgent(
    s,
    { ok: false, status: 'L4CON', code: null, info: 'Connection refused', durationMs: 1 },
    null,
  );
  const st = store.find('web', 's1');
  assert.equal(st?.chkfail, 3);
  assert.equal(st?.status, 'UP');
  assert.equal(st?.chkdown, 0);
});
