import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServerStateStore } from '../../../src/health';
import type { CheckResult } from '../../../src/health';
import { backendModel, model, serverModel } from '../../helpers/model';

const checked = (
  name: string,
  id: number,
  extra: Parameters<typeof serverModel>[0] extends infer T ? Partial<T> : never = {},
) =>
  serverModel({
    name,
    id,
    port: 8000 + id,
    check: {
      enabled: true,
      inter: 100,
      fastinter: 50,
      downinter: 200,
      rise: 2,
      fall: 3,
      port: null,
      addr: null,
    },
    ...extra,
  });

function fixture(now = { t: 1000 }) {
  const m = model({
    backends: [
      backendModel({
        name: 'web',
        servers: [
          checked('s1', 1),
          checked('s2', 2),
          serverModel({ name: 's3', id: 3, port: 9003, backup: true }),
        ],
      }),
    ],
  });
  const lines: string[] = [];
  const log = {
    info: (_o: unknown, msg: string) => lines.push(msg),
    warn: (_o: unknown, msg: string) => lines.push(msg),
    error: (_o: unknown, msg: string) => lines.push(msg),
    debug: () => undefined,
  };
  const store = createServerStateStore(m, { log: log as never, now: () => now.t });
  return { store, lines, now };
}

const fail: CheckResult = {
  ok: false,
  status: 'L7STS',
  code: 500,
  info: 'Internal Server Error',
  durationMs: 3,
};
const pass: CheckResult = { ok: true, status: 'L7OK', code: 200, info: 'OK', durationMs: 1 };

test('a checked server starts UP and one failed check marks it DOWN with HAProxy wording', () => {
  const { store, lines } = fixture();
  assert.equal(store.find('web', 's1')?.oper, 'UP');
  store.reportCheck('web', 's1', fail);
  const st = store.find('web', 's1');
  assert.equal(st?.oper, 'DOWN');
  assert.equal(st?.status, 'DOWN');
  assert.equal(st?.checkStatus, 'L7STS');
  assert.equal(st?.chkdown, 1);
  assert.ok(
    lines.includes(
      'Server web/s1 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 3ms. 1 active and 1 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
    ),
    lines.join('\n'),
  );
});

test('rise consecutive successes bring it back; fall failures take a fully UP server down', () => {
  const { store, lines } = fixture();
  store.reportCheck('web', 's1', fail);
  store.reportCheck('web', 's1', pass);
  assert.equal(store.find('web', 's1')?.status, 'DOWN 1/2');
  assert.ok(
    lines.some(
      (l) => l.startsWith('Health check for server web/s1 succeeded') && l.endsWith('status: 1/2 DOWN.'),
    ),
  );
  store.reportCheck('web', 's1', pass);
  assert.equal(store.find('web', 's1')?.status, 'UP');
  assert.ok(lines.some((l) => l.startsWith('Server web/s1 is UP, reason: Layer7 check passed, code: 200')));
  store.reportCheck('web', 's1', fail);
  assert.equal(store.find('web', 's1')?.status, 'UP 2/3');
  store.reportCheck('web', 's1', fail);
  assert.equal(store.find('web', 's1')?.status, 'UP 1/3');
  store.reportCheck('web', 's1', pass);
  assert.equal(store.find('web', 's1')?.status, 'UP');
  for (let i = 0; i < 3; i++) store.reportCheck('web', 's1', fail);
  assert.equal(store.find('web', 's1')?.oper, 'DOWN');
});

test('a backend with no server left is logged as such', () => {
  const { store, lines } = fixture();
  store.setAdmin('web', 's3', 'MAINT');
  store.reportCheck('web', 's1', fail);
  store.reportCheck('web', 's2', fail);
  assert.ok(lines.includes('backend web has no server available!'), lines.join('\n'));
});

test('admin, weight, address and dynamic servers reach update listeners', () => {
  const { store } = fixture();
  const seen: string[] = [];
  store.onUpdate((u) =>
    seen.push(
      `${u.server} ${u.admin} ${u.oper} ${u.weight} ${u.host}:${u.port}${u.model ? ' +model' : ''}${u.deleted === true ? ' deleted' : ''}`,
    ),
  );
  assert.equal(store.setAdmin('web', 's1', 'MAINT'), null);
  assert.equal(store.find('web', 's1')?.status, 'MAINT');
  assert.equal(store.setWeight('web', 's2', 30), null);
  assert.match(store.setWeight('web', 's2', 300) ?? '', /between 0 and 256/);
  assert.equal(store.setAddr('web', 's2', '127.0.0.2', 81), null);
  assert.match(store.setAdmin('web', 'nope', 'READY') ?? '', /No such server/);
  assert.equal(store.addServer('web', serverModel({ name: 'dyn', id: 4, port: 9100 })), null);
  assert.match(store.delServer('web', 'dyn') ?? '', /maintenance/);
  store.setAdmin('web', 'dyn', 'MAINT');
  assert.equal(store.delServer('web', 'dyn'), null);
  assert.equal(store.find('web', 'dyn'), undefined);
  assert.deepEqual(seen, [
    's1 MAINT UP 1 127.0.0.1:8001',
    's2 READY UP 30 127.0.0.1:8002',
    's2 READY UP 30 127.0.0.2:81',
    'dyn READY UP 1 127.0.0.1:9100 +model',
    'dyn MAINT UP 1 127.0.0.1:9100 +model',
    'dyn MAINT UP 1 127.0.0.1:9100 +model deleted',
  ]);
});

test('slowstart ramps the effective weight linearly after coming back UP', () => {
  const now = { t: 1000 };
  const m = model({
    backends: [backendModel({ name: 'web', servers: [checked('s1', 1, { weight: 10, slowstart: 1000 })] })],
  });
  const store = createServerStateStore(m, { now: () => now.t });
  assert.equal(store.find('web', 's1')?.effectiveWeight, 10, 'no ramp at startup');
  store.reportCheck('web', 's1', fail);
  store.reportCheck('web', 's1', pass);
  store.reportCheck('web', 's1', pass);
  assert.equal(store.find('web', 's1')?.effectiveWeight, 0.1);
  now.t += 500;
  assert.equal(store.find('web', 's1')?.effectiveWeight, 5);
  now.t += 600;
  assert.equal(store.find('web', 's1')?.effectiveWeight, 10);
});
