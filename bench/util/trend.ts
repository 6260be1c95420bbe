// How a soak run's memory moved: growth against a baseline sample, and the least-squares slope
// over the second half of the run, which one noisy sample at either end cannot sway.

/** (last - base) / base, as a percentage */
export function growthPct(base: number, last: number): number {
  return ((last - base) / base) * 100;
}

/** least-squares slope of ys over xs (units of y per unit of x); 0 for fewer than two points */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

/** slope per hour of the samples in the second half of the run (minutes → values) */
export function secondHalfSlopePerHour(minutes: readonly number[], values: readonly number[]): number {
  const from = Math.floor(minutes.length / 2);
  return slope(minutes.slice(from), values.slice(from)) * 60;
}
