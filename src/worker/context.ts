import type { Model } from '../config/model';
import type { BackendRuntime } from '../backend';
import type { Logger } from '../log';
import type { HttpObserver } from '../http/record';
import type { WorkerStatsAgent } from '../stats';
import type { TcpObserver } from '../tcp/record';
import type { ConnGate } from './conn-gate';

/** What every listener of a worker shares: the Model it was started with and the live backends. */
export interface WorkerContext {
  readonly generation: number;
  readonly model: Model;
  readonly backends: ReadonlyMap<string, BackendRuntime>;
  readonly log: Logger;
  /** told about every finished HTTP request (access logs, statistics, passive health checks) */
  readonly httpObservers?: readonly HttpObserver[];
  /** statistics of this worker; renders the stats page and the exporter through the primary */
  readonly services?: WorkerStatsAgent;
  /** told about every finished TCP session (access logs) */
  readonly tcpObservers?: readonly TcpObserver[];
  /** global maxconn: the worker's client connections (absent in tests that build a frontend alone) */
  readonly connections?: ConnGate;
}
