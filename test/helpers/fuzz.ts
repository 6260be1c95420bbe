/**
 * fast-check's `numRuns` for a fuzz property: `dflt` keeps `npm test` bounded; the long mode sets
 * FUZZ_RUNS by hand (`FUZZ_RUNS=200000 node --test …`) and it then applies to every property.
 */
export function fuzzRuns(dflt: number): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}
