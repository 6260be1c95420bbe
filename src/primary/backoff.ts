// Respawn delay for one worker slot: a worker that keeps crashing must not fork-bomb the host,
// yet one that crashed after running fine for a while comes back at once.

export const RESPAWN_MIN_MS = 100;
export const RESPAWN_MAX_MS = 10_000;
/** a worker that ran this long is considered healthy: its next crash restarts the delay sequence */
export const RESPAWN_RESET_AFTER_MS = 30_000;

export class Backoff {
  private current: number;

  constructor(
    private readonly min = RESPAWN_MIN_MS,
    private readonly max = RESPAWN_MAX_MS,
    private readonly resetAfter = RESPAWN_RESET_AFTER_MS,
  ) {
    this.current = min;
  }

  /** Delay before respawning a worker that ran for `ranMs` before it died. */
  next(ranMs: number): number {
    if (ranMs >= this.resetAfter) this.current = this.min;
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.max);
    return delay;
  }
}
