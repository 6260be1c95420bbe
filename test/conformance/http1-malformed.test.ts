// The malformed-HTTP/1 table (cases.ts) over raw sockets against both fronts, with a backend that
// records what it receives: every case asserts the status (or close) and what reached the backend.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../helpers/http-harness';
import type { Proxy } from '../helpers/http-harness';
import { uwsAvailable } from '../../src/http/fronts/uws-loader';
import { CASES } from './cases';
import type { Outcome } from './cases';
import { startRecorder } from './recorder';
import type { Recorder } from './recorder';
import { ANSWER_MS, IDLE_MS, caseBytes, conformanceConfig, expected, judge, probed, send } from './runner';

const FRONTS = ['uws', 'node'] as const;

/** Outcomes by case id, and by `<id>+probe` for the pipelined variant. */
export async function runAll(port: number, front: 'uws' | 'node'): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  const jobs: [string, Buffer, number][] = [];
  for (const c of CASES) {
    const e = expected(c, front);
    const firstMs = e.kind === 'reject' && e.status.includes(-1) ? IDLE_MS : ANSWER_MS;
    jobs.push([c.id, caseBytes(c, false), firstMs]);
    if (probed(c)) jobs.push([`${c.id}+probe`, caseBytes(c, true), firstMs]);
  }
  const worker = async (): Promise<void> => {
    for (let j = jobs.shift(); j !== undefined; j = jobs.shift()) {
      out.set(j[0], await send(port, j[1], IDLE_MS, j[2]));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

for (const front of FRONTS) {
  describe(
    `malformed HTTP/1 table, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      let rec: Recorder;
      let proxy: Proxy;
      let outcomes: Map<string, Outcome>;

      before(async () => {
        rec = await startRecorder();
        proxy = await startProxy(conformanceConfig(front, rec.port));
        outcomes = await runAll(proxy.port('fe'), front);
      });
      after(async () => {
        await proxy.close();
        await rec.close();
      });

      for (const c of CASES) {
        test(`#${c.rule} ${c.id}: ${c.title}`, () => {
          const got = outcomes.get(c.id) as Outcome;
          const why = judge(c, front, got, outcomes.get(`${c.id}+probe`), rec.tagged(c.id));
          assert.equal(why, null, why ?? '');
        });
      }

      test('no request outside the accepted cases reached the backend', () => {
        const accepted = CASES.filter((c) => expected(c, front).kind === 'accept');
        const stray = rec.seen.filter(
          (r) => r.complete && !accepted.some((c) => rec.tagged(c.id).includes(r)),
        );
        assert.deepEqual(
          stray.map((r) => r.url),
          [],
        );
      });
    },
  );
}
