// A worker SIGKILLed in the middle of steady traffic: only the requests it held fail (at most one
// per client, each client having a single request outstanding), the primary logs the respawn, the
// other worker keeps answering meanwhile, and every request started after the respawn succeeds.
// Real CLI, 2 workers, both fronts, fresh connection per request.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';
import { get, within } from '../process/fixtures';

const CLIENTS = 8;
// Long enough that a worker always has requests in flight when it dies.
const BACKEND_DELAY_MS = 10;
const WARMUP_OK = 40;
const AFTER_RESPAWN_OK = 80;
const LOOP_LIMIT_MS = 20_000;

interface Outcome {
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  readonly detail: string;
}

function startBackend(): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    req.resume();
    setTimeout(() => res.end('ok'), BACKEND_DELAY_MS);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

function config(front: string, backendPort: number): string {
  return `
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:0 front ${front}
    default_backend be
backend be
    server s1 127.0.0.1:${backendPort}
`;
}

/** Clients looping one request at a time until stop(); outcomes in completion order. */
class Load {
  readonly outcomes: Outcome[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(port: number, clients: number) {
    for (let i = 0; i < clients; i++) this.loops.push(this.loop(port));
  }

  okSince(t: number): number {
    return this.outcomes.filter((o) => o.ok && o.start >= t).length;
  }

  /** Resolves once `cond` holds after some completion. */
  until(cond: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(port: number): Promise<void> {
    const deadline = Date.now() + LOOP_LIMIT_MS;
    while (!this.stopped && Date.now() < deadline) {
      const start = performance.now();
      let ok = false;
      let detail = '';
      try {
        const r = await get(port, '/', 3000);
        ok = r.status === 200 && r.body === 'ok';
        detail = `${r.status} ${r.body.slice(0, 40)}`;
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
      }
      this.outcomes.push({ start, end: performance.now(), ok, detail });
      for (const w of [...this.waiters]) w();
    }
  }
}

for (const front of ['uws', 'node'] as const) {
  describe(
    `worker killed mid-traffic, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      let backend: http.Server | undefined;
      let sluice: StartedSluice | undefined;
      after(async () => {
        sluice?.proc.kill();
        await new Promise((r) => (backend ? backend.close(r) : r(undefined)));
      });

      it('only in-flight requests fail, the worker is respawned, traffic continues', async () => {
        backend = await startBackend();
        const backendPort = (backend.address() as AddressInfo).port;
        sluice = await startSluice(config(front, backendPort), { workers: 2 });
        const s = sluice;
        const port = s.port('fe');
        const load = new Load(port, CLIENTS);
        try {
          await within(
            load.until(() => load.okSince(0) >= WARMUP_OK),
            10_000,
            'warm-up traffic',
          );
          const [victim] = s.started.pids as number[];
          assert.ok(typeof victim === 'number');
          const from = s.proc.logs.length;
          const killedAt = performance.now();
          process.kill(victim, 'SIGKILL');
          const exited = await s.proc.waitForMsg('worker exited unexpectedly', 10_000, from);
          assert.equal(exited.worker, victim);
          await s.proc.waitForMsg('worker respawned and listening', 10_000, from);
          const respawnedAt = performance.now();
          const servedMeanwhile = load.outcomes.filter(
            (o) => o.ok && o.start >= killedAt && o.end <= respawnedAt,
          ).length;
          await within(
            load.until(() => load.okSince(respawnedAt) >= AFTER_RESPAWN_OK),
            10_000,
            'traffic after the respawn',
          );
          await load.stop();

          const failures = load.outcomes.filter((o) => !o.ok);
          const why = JSON.stringify(failures.slice(0, 10));
          assert.ok(failures.length <= CLIENTS, `${failures.length} failures > ${CLIENTS}: ${why}`);
          // Only requests that could have been on the victim fail: none finished before the kill.
          for (const f of failures) assert.ok(f.end >= killedAt, `failed before the kill: ${why}`);
          const lateFailures = failures.filter((f) => f.start >= respawnedAt);
          assert.equal(lateFailures.length, 0, `failures after the respawn: ${why}`);
          assert.ok(servedMeanwhile > 0, 'the surviving worker served nothing between kill and respawn');
        } finally {
          await load.stop();
        }
        assert.equal((await s.stop()).code, 0);
      });
    },
  );
}
