// What one worker reports when the primary asks for statistics, and the sum over workers. Plain
// JSON: it crosses the IPC channel as is.
import type { Counters } from './counters';
import { addCounters, newCounters } from './counters';

export interface MemoryFigures {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface WorkerSnapshot {
  readonly pid: number;
  /** the worker's slot (0-based), as SLUICE_WORKER_SLOT */
  readonly slot: number;
  readonly uptimeMs: number;
  readonly memory: MemoryFigures;
  /** requests being processed now, over every frontend */
  readonly currConns: number;
  readonly frontends: Readonly<Record<string, Counters>>;
  readonly backends: Readonly<Record<string, Counters>>;
  /** keyed "backend/server" */
  readonly servers: Readonly<Record<string, Counters>>;
}

export interface AggregateStats {
  readonly workers: readonly WorkerSnapshot[];
  readonly frontends: ReadonlyMap<string, Counters>;
  readonly backends: ReadonlyMap<string, Counters>;
  readonly servers: ReadonlyMap<string, Counters>;
  readonly currConns: number;
  readonly cumReq: number;
}

function sumInto(into: Map<string, Counters>, from: Readonly<Record<string, Counters>>): void {
  for (const [name, c] of Object.entries(from)) {
    let t = into.get(name);
    if (t === undefined) {
      t = newCounters();
      into.set(name, t);
    }
    addCounters(t, c);
  }
}

/** Exact sums over workers (peaks and current values are summed too: an upper bound for peaks). */
export function aggregate(snaps: readonly WorkerSnapshot[]): AggregateStats {
  const frontends = new Map<string, Counters>();
  const backends = new Map<string, Counters>();
  const servers = new Map<string, Counters>();
  let currConns = 0;
  for (const s of snaps) {
    sumInto(frontends, s.frontends);
    sumInto(backends, s.backends);
    sumInto(servers, s.servers);
    currConns += s.currConns;
  }
  let cumReq = 0;
  for (const c of frontends.values()) cumReq += c.req_tot;
  return { workers: snaps, frontends, backends, servers, currConns, cumReq };
}

/** Counters of a proxy or server the workers had nothing for yet. */
export function countersOf(m: ReadonlyMap<string, Counters>, key: string): Counters {
  return m.get(key) ?? newCounters();
}
