// Passive health (`observe` + `error-limit` + `on-error`) as HAProxy's health analyzer applies it:
// what counts as an error, and what each on-error action does once the limit is reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OnErrorAction } from '../../../src/config/model';
import { createServerStateStore } from '../../../src/health';
import type { HttpRequestRecord } from '../../../src/http/record';
import { observe } from '../../../src/health/passive';
import { outcome } from '../../../src/health/reporter';
import type { ObserveEvent } from '../../../src/ipc';

/** the parts of a worker's request record that passive observation reads */
function record(serverStatus: number, upstreamError: string | null = null): HttpRequestRecord {
  return { serverStatus, upstreamError, tC: upstreamError === 'connect' ? -1 : 1 } as HttpRequestRecord;
}
import { checkModel, oneServer, serverModel } from '../../helpers/model';

function fixture(onError: OnErrorAction, observeMode: 'layer4' | 'layer7' = 'layer7') {
  const m = oneServer(
    serverModel({
      name: 's1',
      port: 8001,
      check: checkModel({ enabled: true, rise: 2, fall: 3 }),
      observe: observeMode,
      errorLimit: 3,
      onError,
    }),
  );
  const lines: string[] = [];
  const push = (_o: unknown, msg: string): number => lines.push(msg);
  const log = { info: push, warn: push, error: push, debug: () => undefined } as never;
  const store = createServerStateStore(m, { log });
  // a server starts at health `rise` (UP 1/3); one passing check makes it fully UP
  store.reportCheck('web', 's1', { ok: true, status: 'L7OK', code: 200, info: '', durationMs: 1 });
  let rescheduled = 0;
  const see = (...statuses: number[]): void =>
    observe(
      store,
      statuses.map((status): ObserveEvent => outcome('web', 's1', 'layer7', record(status)) as ObserveEvent),
      () => rescheduled++,
    );
  return { store, lines, see, rescheduled: () => rescheduled };
}

test('fail-check (the default): error-limit consecutive errors count as one failed check', () => {
  const f = fixture('fail-check');
  f.see(500, 502);
  assert.equal(f.store.find('web', 's1')?.status, 'UP');
  f.see(503);
  const st = f.store.find('web', 's1');
  assert.deepEqual([st?.status, st?.chkfail], ['UP 2/3', 1]);
  assert.equal(f.rescheduled(), 1, 'checks switch to fastinter');
  assert.ok(
    f.lines.includes(
      'Health check for server web/s1 failed, reason: Health analyze, info: "Detected 3 consecutive errors, last one was: Wrong http response", status: 2/3 UP.',
    ),
    f.lines.join('\n'),
  );
});

test('statuses HAProxy calls good (100-499, 501, 505) reset the count', () => {
  const f = fixture('mark-down');
  f.see(500, 500, 404, 500, 500, 501, 500, 505, 500, 500);
  assert.equal(f.store.find('web', 's1')?.status, 'UP');
  assert.equal(f.rescheduled(), 0);
});

test('fastinter only speeds the checks up; sudden-death leaves one failure before DOWN; mark-down is DOWN', () => {
  const fast = fixture('fastinter');
  fast.see(500, 500, 500);
  assert.deepEqual([fast.store.find('web', 's1')?.status, fast.rescheduled()], ['UP', 1]);
  const sudden = fixture('sudden-death');
  sudden.see(500, 500, 500);
  assert.equal(sudden.store.find('web', 's1')?.status, 'UP 1/3');
  const mark = fixture('mark-down');
  mark.see(500, 500, 500);
  assert.equal(mark.store.find('web', 's1')?.status, 'DOWN');
  assert.ok(mark.lines.some((l) => l.startsWith('Server web/s1 is DOWN, reason: Health analyze')));
});

test('observe layer4 ignores what the server answered', () => {
  const f = fixture('mark-down', 'layer4');
  f.see(500, 500, 500, 500);
  assert.equal(f.store.find('web', 's1')?.status, 'UP');
});

test('what a worker reports for each failure: HAProxy analyze statuses', () => {
  const reason = (status: number, err: string | null = null) =>
    outcome('web', 's1', 'layer7', record(status, err))?.reason ?? null;
  assert.equal(reason(200), null);
  assert.equal(reason(404), null);
  assert.equal(reason(500), 'Wrong http response');
  assert.equal(reason(0, 'connect'), 'L4 unsuccessful connection');
  assert.equal(reason(0, 'timeout'), 'Read timeout (http)');
  assert.equal(reason(0, 'empty'), 'Close from server (http)');
  assert.equal(reason(0, 'reset'), 'Read error (http)');
  assert.equal(reason(0, 'protocol'), 'Invalid http response');
});
