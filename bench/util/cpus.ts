// Where each process runs. The proxy gets a core to itself so that its CPU% and throughput are
// not disturbed by the load generator; the load generator and the backend share what is left.
import { availableParallelism } from 'node:os';
import { hasCommand } from './child';

export interface Placement {
  /** taskset -c lists; null: not pinned */
  readonly proxy: string | null;
  readonly backend: string | null;
  readonly loadgen: string | null;
  /** threads for wrk / workers for the uWS backend */
  readonly loadgenThreads: number;
  readonly cpus: number;
  readonly description: string;
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}

/** Nothing pinned, for the reason given. */
export function unpinned(cpus: number, why: string): Placement {
  return {
    proxy: null,
    backend: null,
    loadgen: null,
    loadgenThreads: 1,
    cpus,
    description: `${cpus} CPU(s), ${why}: nothing pinned, everything shares the CPUs`,
  };
}

export function planPlacement(cpus = availableParallelism(), taskset = hasCommand('taskset')): Placement {
  if (!taskset) return unpinned(cpus, 'no taskset');
  if (cpus < 2) return unpinned(cpus, 'too few to separate');
  if (cpus === 2) {
    return {
      proxy: '0',
      backend: '1',
      loadgen: '1',
      loadgenThreads: 1,
      cpus,
      description: '2 CPUs: proxy on cpu 0; load generator + backend on cpu 1',
    };
  }
  if (cpus === 3) {
    return {
      proxy: '0',
      backend: '1',
      loadgen: '2',
      loadgenThreads: 1,
      cpus,
      description: '3 CPUs: proxy on cpu 0, backend on cpu 1, load generator on cpu 2',
    };
  }
  // The proxy runs one worker, so more load-generator threads than about two are wasted.
  const lgLast = Math.min(cpus - 1, 3);
  return {
    proxy: '0',
    backend: '1',
    loadgen: range(2, lgLast),
    loadgenThreads: lgLast - 1,
    cpus,
    description: `${cpus} CPUs: proxy on cpu 0, backend on cpu 1, load generator on cpus ${range(2, lgLast)}`,
  };
}
