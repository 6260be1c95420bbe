// What the runner needs from anything it measures: a port to load and processes to account.
import type { AccessLog, ProxyPorts } from '../cfg/haproxy';
import type { Scenario } from '../scenarios';

export type TargetName = 'direct' | 'sluice' | 'haproxy' | 'nginx' | 'http-proxy';

export interface RunningTarget {
  readonly name: TargetName;
  /** where the load generator connects */
  readonly port: number;
  /** root of the process tree whose CPU and RSS are accounted; null for the direct run */
  readonly pid: number | null;
  /** the processes holding client connections (sluice/nginx workers, the haproxy process) */
  workerPids(): number[];
  stop(): Promise<void>;
}

export interface TargetContext {
  readonly scenario: Scenario;
  /** private temp dir for this target's files */
  readonly dir: string;
  readonly ports: ProxyPorts;
  /** taskset -c list for the proxy, null when not pinned */
  readonly cpus: string | null;
  readonly maxconn: number;
  readonly accessLog: AccessLog;
}

/** Started, or the reason it cannot run this scenario (printed, never fatal). */
export type StartResult =
  { readonly ok: true; readonly target: RunningTarget } | { readonly ok: false; readonly skipped: string };

export type TargetStarter = (ctx: TargetContext) => Promise<StartResult>;
