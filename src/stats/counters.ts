// Per-proxy and per-server counters as one flat record of numbers: the same shape for frontends,
// backends and servers, so a worker's snapshot is plain JSON and the primary sums it field by field.

export const COUNTER_NAMES = [
  'scur',
  'smax',
  'stot',
  'bin',
  'bout',
  'dreq',
  'dresp',
  'ereq',
  'econ',
  'eresp',
  'wretr',
  'wredis',
  'qcur',
  'qmax',
  'lbtot',
  'hrsp_1xx',
  'hrsp_2xx',
  'hrsp_3xx',
  'hrsp_4xx',
  'hrsp_5xx',
  'hrsp_other',
  'req_tot',
  'cli_abrt',
  'srv_abrt',
  /** ms since epoch of the last session, 0 when none (merged with max, not summed) */
  'lastsess',
  /** sums of the timers of the requests counted in `timed`, for the averages */
  'qtime_sum',
  'ctime_sum',
  'rtime_sum',
  'ttime_sum',
  'timed',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;

/** Fields a sum over workers would not mean anything for: merged with max instead. */
const MAX_MERGED: ReadonlySet<CounterName> = new Set(['lastsess']);
/** Peaks: `clear counters` (without `all`) resets only these, as in HAProxy. */
export const PEAK_COUNTERS: readonly CounterName[] = ['smax', 'qmax'];

export function newCounters(): Counters {
  const c = {} as Counters;
  for (const n of COUNTER_NAMES) c[n] = 0;
  return c;
}

/** into += from, field by field (max for timestamps). */
export function addCounters(into: Counters, from: Partial<Counters>): void {
  for (const n of COUNTER_NAMES) {
    const v = from[n];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    into[n] = MAX_MERGED.has(n) ? Math.max(into[n], v) : into[n] + v;
  }
}

export function resetCounters(c: Counters, all: boolean): void {
  if (all) for (const n of COUNTER_NAMES) c[n] = 0;
  else for (const n of PEAK_COUNTERS) c[n] = 0;
}

/** HTTP status → the hrsp_* counter it belongs to. */
export function statusClass(status: number): CounterName {
  if (status >= 100 && status < 200) return 'hrsp_1xx';
  if (status >= 200 && status < 300) return 'hrsp_2xx';
  if (status >= 300 && status < 400) return 'hrsp_3xx';
  if (status >= 400 && status < 500) return 'hrsp_4xx';
  if (status >= 500 && status < 600) return 'hrsp_5xx';
  return 'hrsp_other';
}
