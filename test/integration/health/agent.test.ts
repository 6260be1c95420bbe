// agent-check end to end: `drain` stops new traffic, `50%` halves the effective weight, `down`
// and `maint` take the server out, and an agent that sends garbage or never answers is a logged,
// counted failure (haproxy_server_check_failures_total) that crashes nothing and marks nothing
// down.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import {
  BASE_DEFAULTS,
  agent,
  metric,
  nextGaps,
  spread,
  statRow,
  statsSocketPath,
  until,
  upstream,
  workersCaughtUp,
  type Agent,
  type Upstream,
} from './fixtures';

let s1: Upstream;
let s2: Upstream;
let a1: Agent;
let sluice: StartedSluice;
const sock = statsSocketPath();
const AGENT_INTER = 100;

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  a1 = await agent('up\n');
  sluice = await startSluice(
    `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}  timeout check 200ms
frontend fe
  bind 127.0.0.1:0
  http-request use-service prometheus-exporter if { path /metrics }
  default_backend web
backend web
  balance roundrobin
  server s1 127.0.0.1:${s1.port} weight 100 agent-check agent-port ${a1.port} agent-inter ${AGENT_INTER}ms
  server s2 127.0.0.1:${s2.port} weight 100
`,
    { workers: 1 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([s1?.close(), s2?.close(), a1?.close()]);
  sock.cleanup();
});

/** the agent's check failures as the exporter counts them */
function failures(): Promise<number> {
  return metric(sluice.port('fe'), 'haproxy_server_check_failures_total', 'web', 's1');
}

test('the agent is polled every agent-inter, not after every state change', async () => {
  const gaps = await nextGaps(a1.connTimes, 6, 'agent polls');
  assert.ok(
    gaps.every((g) => g >= AGENT_INTER - 2),
    `agent polled faster than agent-inter ${AGENT_INTER}ms: ${gaps.join(', ')}`,
  );
});

test('agent says drain: the server takes no new traffic, then ready brings it back', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'drain\n';
  await sluice.proc.waitForLog((l) => l.msg === 'Server web/s1 enters drain state.', 5000, from);
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'DRAIN (agent)');
  await workersCaughtUp(sock.path);
  const seen = await spread(sluice.port('fe'), 20);
  assert.equal(seen.get('s1'), undefined, `s1 got traffic while draining: ${JSON.stringify([...seen])}`);
  assert.equal(seen.get('s2'), 20);
  a1.reply = 'ready\n';
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP\/READY/.test(l.msg), 5000, from);
  await workersCaughtUp(sock.path);
  const back = await spread(sluice.port('fe'), 20);
  assert.ok((back.get('s1') ?? 0) >= 5, `s1 back with ${back.get('s1') ?? 0} of 20`);
});

test('agent says 50%: s1 gets about a third of the requests (weight 50 vs 100)', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'up 50%\n';
  await sluice.proc.waitForLog((l) => l.msg === 'web/s1 changed its weight from agent: 50%.', 5000, from);
  assert.equal((await statRow(sock.path, 'web', 's1')).weight, '50');
  await workersCaughtUp(sock.path);
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

test('agent says down, then up: DOWN (agent) in between, no traffic while DOWN', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'down#disk full\n';
  const down = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000, from);
  assert.match(down.msg, /^Server web\/s1 is DOWN, reason: Agent reports DOWN, info: "disk full"\. 1 active/);
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'DOWN (agent)');
  await workersCaughtUp(sock.path);
  assert.deepEqual([...(await spread(sluice.port('fe'), 10))], [['s2', 10]]);
  a1.reply = 'up\n';
  await sluice.proc.waitForLog(
    (l) => /^Server web\/s1 is UP, reason: Agent reports UP/.test(l.msg),
    5000,
    from,
  );
});

test('agent says maint, then ready: MAINT in between', async () => {
  const from = sluice.proc.logs.length;
  a1.reply = 'maint\n';
  await sluice.proc.waitForLog(
    (l) => /^Server web\/s1 is going DOWN for maintenance/.test(l.msg),
    5000,
    from,
  );
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'MAINT');
  a1.reply = 'ready\n';
  await sluice.proc.waitForLog(
    (l) => /^Server web\/s1 is UP \(leaving forced maintenance\)/.test(l.msg),
    5000,
    from,
  );
});

test('an agent sending garbage is logged and counted, the server stays UP', async () => {
  const from = sluice.proc.logs.length;
  const counted = await failures();
  a1.reply = '\x00\x01 HELLO?\n';
  const line = await sluice.proc.waitForLog(
    (l) => /^Agent check for server web\/s1 failed/.test(l.msg),
    5000,
    from,
  );
  assert.match(line.msg, /Layer7 invalid response, info: "Bad agent response/);
  assert.ok((await failures()) > counted, 'the failure is not counted');
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'no check');
  const seen = await spread(sluice.port('fe'), 10);
  assert.ok((seen.get('s1') ?? 0) > 0, 's1 still takes traffic');
  assert.equal(sluice.proc.exit, null);
});

test('an agent that never answers times out: logged, no crash, no hang', async () => {
  const from = sluice.proc.logs.length;
  const counted = await failures();
  a1.reply = null;
  const c = a1.connections;
  const line = await sluice.proc.waitForLog(
    (l) => /^Agent check for server web\/s1 failed, reason: Layer\d timeout/.test(l.msg),
    5000,
    from,
  );
  // bounded by `timeout check` (200ms), never left hanging
  assert.match(line.msg, /check duration: (1\d\d|2\d\d)ms\.$/);
  assert.ok((await failures()) > counted, 'the failure is not counted');
  // the agent keeps being polled: the timed-out probe did not wedge the checker
  await until(() => a1.connections >= c + 3, 5000, 'agent polled again');
  assert.equal((await request(sluice.port('fe'))).status, 200);
  assert.equal(sluice.proc.exit, null);
  a1.reply = 'up\n';
});
