// Runs autocannon in its own (pinnable) process: `node autocannon-child.js '<LoadSpec JSON>'`.
// Prints one JSON line: the normalised LoadResult.
import type { LoadResult, LoadSpec } from './types';

interface Histogram {
  readonly p50: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly total: number;
}

/** The slice of autocannon's result we read (the package ships no typings). */
interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly latency: Histogram;
  readonly requests: Histogram;
  readonly throughput: Histogram;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method: string;
  body?: Buffer;
  headers?: Record<string, string>;
  reconnectRate?: number;
  timeout: number;
}

type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as Autocannon;
  const opts: AutocannonOptions = {
    url: `http://127.0.0.1:${spec.port}${spec.path}`,
    connections: spec.connections,
    duration: spec.durationSec,
    method: spec.method,
    timeout: 10,
  };
  if (spec.bodyBytes > 0) {
    opts.body = Buffer.alloc(spec.bodyBytes, 'x');
    opts.headers = { 'content-type': 'application/octet-stream' };
  }
  // autocannon's way to open a new connection for every request.
  if (spec.newConnection) opts.reconnectRate = 1;
  const r = await autocannon(opts);
  const out: LoadResult = {
    tool: 'autocannon',
    requests: r.requests.total,
    durationSec: r.duration,
    rps: r.requests.total / r.duration,
    bytesPerSec: r.throughput.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p999Ms: r.latency.p99_9,
    errors: r.errors + r.non2xx,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `autocannon-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
