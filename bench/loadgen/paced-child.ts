// A fixed-rate (open-loop) HTTP/1.1 client for the latency-at-equal-load scenario. wrk and
// autocannon in their default mode keep every connection busy, so latency there is connections ÷
// throughput and says little beyond the request rate; autocannon's paced mode records whole
// milliseconds, too coarse for a proxy on loopback. Run as `node paced-child.js '<LoadSpec JSON>'`;
// prints one JSON line, the normalised LoadResult.
//
// Requests fall due every 1/rate s. A 1 ms tick hands the ones due to idle keep-alive connections
// (one request in flight per connection). A request's latency runs from the tick that found it due
// to the end of its response, so a request that waited for a free connection counts its wait (no
// coordinated omission), while the tick's own lateness does not.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './types';

interface Conn {
  readonly sock: Socket;
  /** when the request in flight was found due (ms, performance.now), -1 when idle */
  startedAt: number;
  head: Buffer | null;
  /** bytes still expected of the response body, -1 while the head is incomplete */
  bodyLeft: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

function percentile(sorted: Float64Array, n: number, p: number): number {
  if (n === 0) return 0;
  return sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] ?? 0;
}

function run(spec: LoadSpec, rate: number): Promise<LoadResult> {
  const request = Buffer.from(
    `${spec.method} ${spec.path} HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\n\r\n`,
    'latin1',
  );
  const latencies = new Float64Array(Math.ceil(rate * spec.durationSec * 1.2) + 1024);
  let done = 0;
  let errors = 0;
  let bytes = 0;
  const idle: Conn[] = [];
  /** found due, waiting for an idle connection: the tick time each was found due at */
  const waiting: number[] = [];
  let waitingHead = 0;

  const send = (c: Conn, startedAt: number): void => {
    c.startedAt = startedAt;
    c.head = null;
    c.bodyLeft = -1;
    c.sock.write(request);
  };
  const finish = (c: Conn, ok: boolean): void => {
    const now = performance.now();
    if (ok) {
      if (done < latencies.length) latencies[done] = now - c.startedAt;
      done++;
    } else errors++;
    c.startedAt = -1;
    if (waitingHead < waiting.length) send(c, waiting[waitingHead++] as number);
    else idle.push(c);
  };
  const onData = (c: Conn, chunk: Buffer): void => {
    bytes += chunk.length;
    if (c.startedAt < 0) return; // nothing asked: ignored, the response check below catches junk
    if (c.bodyLeft < 0) {
      const head: Buffer = c.head === null ? chunk : Buffer.concat([c.head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        c.head = head;
        return;
      }
      const text = head.subarray(0, end).toString('latin1');
      const m = CONTENT_LENGTH.exec(text);
      const ok = text.startsWith('HTTP/1.1 2');
      c.bodyLeft = (m === null ? 0 : Number(m[1])) - (head.length - end - 4);
      c.head = null;
      if (!ok || m === null) {
        // a paced run measures healthy traffic: anything else is an error and the connection
        // is not trusted again
        errors++;
        c.startedAt = -1;
        c.sock.destroy();
        return;
      }
    } else c.bodyLeft -= chunk.length;
    if (c.bodyLeft === 0) finish(c, true);
    else if (c.bodyLeft < 0) {
      errors++;
      c.startedAt = -1;
      c.sock.destroy();
    }
  };

  return new Promise((resolve) => {
    let opened = 0;
    for (let i = 0; i < spec.connections; i++) {
      const sock = connect({ host: '127.0.0.1', port: spec.port, noDelay: true });
      const c: Conn = { sock, startedAt: -1, head: null, bodyLeft: -1 };
      sock.on('connect', () => {
        idle.push(c);
        if (++opened === spec.connections) start();
      });
      sock.on('data', (chunk: Buffer) => onData(c, chunk));
      sock.on('error', () => undefined);
      sock.on('close', () => {
        if (c.startedAt >= 0) errors++;
        c.startedAt = -1;
        const at = idle.indexOf(c);
        if (at >= 0) idle.splice(at, 1);
      });
    }

    const start = (): void => {
      const t0 = performance.now();
      const endAt = t0 + spec.durationSec * 1000;
      const total = Math.round(spec.durationSec * rate);
      let due = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        const target = now >= endAt ? total : Math.floor(((now - t0) * rate) / 1000);
        for (; due < target; due++) {
          const c = idle.pop();
          if (c !== undefined) send(c, now);
          else waiting.push(now);
        }
        if (now < endAt) return;
        clearInterval(tick);
        // what is still in flight or waiting gets a bounded grace, then counts as errors
        const grace = setTimeout(report, 2_000);
        const poll = setInterval(() => {
          if (waitingHead < waiting.length || idle.length < opened) return;
          clearTimeout(grace);
          report();
        }, 5);
        function report(): void {
          clearInterval(poll);
          const durationSec = spec.durationSec;
          errors += waiting.length - waitingHead;
          const n = Math.min(done, latencies.length);
          const sorted = latencies.subarray(0, n).sort();
          resolve({
            tool: 'paced',
            requests: done,
            durationSec,
            rps: done / durationSec,
            bytesPerSec: bytes / durationSec,
            p50Ms: percentile(sorted, n, 50),
            p99Ms: percentile(sorted, n, 99),
            p999Ms: percentile(sorted, n, 99.9),
            errors,
          });
        }
      }, 1);
    };
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  if (spec.rate === null || !(spec.rate > 0)) throw new Error('paced-child needs a rate');
  const r = await run(spec, spec.rate);
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`paced-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
