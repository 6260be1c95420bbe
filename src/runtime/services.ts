// What runtime API commands may read and steer: one object built by the primary, so commands
// stay pure functions of their arguments and these services (and unit-testable with fakes).
import type { Model } from '../config/model';
import type { ServerStateStore, ServerStatus } from '../health/types';
import type { Logger } from '../log';
import type { AggregateStats } from '../stats';
import type { StatsHub } from './hub';
import type { CommandRegistry } from './registry';

/** maxconn values changed at runtime (`set maxconn ...`), over the configured ones */
export interface LiveLimits {
  globalMaxconn: number;
  readonly frontends: Map<string, number>;
  /** keyed "backend/server" */
  readonly servers: Map<string, number>;
}

export interface RuntimeServices {
  readonly model: Model;
  readonly log: Logger;
  readonly registry: CommandRegistry;
  readonly hub: StatsHub;
  readonly limits: LiveLimits;
  readonly pid: number;
  readonly version: string;
  /** ms since epoch */
  readonly startedAt: number;
  /** the server state store, once health checks run (null: states come from the Model) */
  store(): ServerStateStore | null;
  /** every server's status, from the store or, without one, from the Model */
  servers(): readonly ServerStatus[];
  /** counters summed over every worker, collected now */
  stats(): Promise<AggregateStats>;
  workerPids(): number[];
}

export function frontendMaxconn(rt: RuntimeServices, name: string): number {
  const fe = rt.model.frontends.find((f) => f.name === name);
  return (
    rt.limits.frontends.get(name) ??
    (fe !== undefined && fe.maxconn > 0 ? fe.maxconn : rt.limits.globalMaxconn)
  );
}

export function serverMaxconn(
  rt: RuntimeServices,
  backend: string,
  server: string,
  configured: number,
): number {
  return rt.limits.servers.get(`${backend}/${server}`) ?? configured;
}
