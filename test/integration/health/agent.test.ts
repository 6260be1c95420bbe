// agent-check end to end: `drain` stops new traffic, `50%` halves the effective weight, and an
// agent that sends garbage or never answers is a logged, counted failure that crashes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, agent, spread, until, upstream, type Agent, type Upstream } from './fixtures';

let s1: Upstream;
let s2: Upstream;
let a1: Agent;
let sluice: StartedSluice;

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  a1 = await agent('up\n');
  sluice = await startSluice(
    `${BASE_DEFAULTS}  timeout check 200ms
frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  balance roundrobin
  server s1 127.0.0.1:${s1.port} weight 100 agent-check agent-port ${a1.port} agent-inter 100ms
  server s2 127.0.0.1:${s2.port} weight 100
`,
    { workers: 1 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([s1?.close(), s2?.close(), a1?.close()]);
});

test('agent says drain: the server takes no new traffic, then ready brings it back', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'drain\n';
  await sluice.proc.waitForLog((l) => l.msg === 'Server web/s1 enters drain state.', 5000, from);
  const seen = await spread(sluice.port('fe'), 20);
  assert.equal(seen.get('s1'), undefined, `s1 got traffic while draining: ${JSON.stringify([...seen])}`);
  assert.equal(seen.get('s2'), 20);
  a1.reply = 'ready\n';
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP\/READY/.test(l.msg), 5000, from);
  const back = await spread(sluice.port('fe'), 20);
  assert.ok((back.get('s1') ?? 0) >= 5, `s1 back with ${back.get('s1') ?? 0} of 20`);
});

test('agent says 50%: s1 gets about a third of the requests (weight 50 vs 100)', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'up 50%\n';
  await sluice.proc.waitForLog((l) => l.msg === 'web/s1 changed its weight from agent: 50%.', 5000, from);
  // the new weight reaches the worker in the broadcast right after the log line: a few requests
  // of warm-up cover that IPC hop
  await spread(sluice.port('fe'), 10);
  const seen = await spread(sluice.port('fe'), 90);
  const n1 = seen.get('s1') ?? 0;
  const share = n1 / (n1 + (seen.get('s2') ?? 0));
  assert.ok(
    share > 0.25 && share < 0.42,
    `s1 share ${share.toFixed(2)} with weight 50 vs 100: ${JSON.stringify([...seen])}`,
  );
  a1.reply = 'up 100%\n';
  await sluice.proc.waitForLog((l) => l.msg === 'web/s1 changed its weight from agent: 100%.', 5000, from);
});

test('an agent sending garbage is logged and counted, the server stays UP', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = '\x00\x01 HELLO?\n';
  const line = await sluice.proc.waitForLog(
    (l) => /^Agent check for server web\/s1 failed/.test(l.msg),
    5000,
    from,
  );
  assert.match(line.msg, /Layer7 invalid response, info: "Bad agent response/);
  const seen = await spread(sluice.port('fe'), 10);
  assert.ok((seen.get('s1') ?? 0) > 0, 's1 still takes traffic');
  assert.equal(sluice.proc.exit, null);
});

test('an agent that never answers times out: logged, no crash, no hang', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = null;
  const c = a1.connections;
  const line = await sluice.proc.waitForLog(
    (l) => /^Agent check for server web\/s1 failed, reason: Layer\d timeout/.test(l.msg),
    5000,
    from,
  );
  assert.ok(line);
  // the agent keeps being polled: the timed-out probe did not wedge the checker
  await until(() => a1.connections >= c + 3, 5000, 'agent polled again');
  assert.equal((await request(sluice.port('fe'))).status, 200);
  assert.equal(sluice.proc.exit, null);
  a1.reply = 'up\n';
});
