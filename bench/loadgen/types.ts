// One measured run of a load generator, normalised across tools.
import type { ToolName } from '../options';

export interface LoadSpec {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly bodyBytes: number;
  readonly connections: number;
  /** send `Connection: close`: one TCP connection per request */
  readonly newConnection: boolean;
  readonly durationSec: number;
  /** requests per second over all connections (paced, open loop); null = as fast as it goes */
  readonly rate: number | null;
  readonly threads: number;
  /** taskset -c list, null when not pinned */
  readonly cpus: string | null;
  /** scratch dir (wrk's Lua script) */
  readonly dir: string;
}

export interface LoadResult {
  readonly tool: ToolName;
  readonly requests: number;
  readonly durationSec: number;
  readonly rps: number;
  readonly bytesPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  /** socket errors, timeouts and non-2xx responses */
  readonly errors: number;
}

export type LoadGenerator = (spec: LoadSpec) => Promise<LoadResult>;
