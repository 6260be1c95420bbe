// slowstart: a server coming UP (or leaving MAINT) ramps its effective weight linearly over the
// period. The store computes the weight from the clock; this re-announces ramping servers at a
// steady step so workers see the weight grow, and once more at the end for the full weight.
// HAProxy steps every max(1 s, slowstart/20); sluice steps every max(100 ms, slowstart/20) so
// that short periods still ramp in more than one or two steps.
import type { ServerState } from './server-state';
import type { ServerStateStoreImpl } from './store';

const MIN_STEP_MS = 100;
const STEPS = 20;

export class SlowStartRamp {
  private readonly timers = new Map<ServerState, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly store: ServerStateStoreImpl) {
    store.onChange((backend, server) => {
      const s = store.state(backend, server);
      if (s !== undefined) this.watch(s);
    });
  }

  private watch(s: ServerState): void {
    if (this.stopped || this.timers.has(s) || !s.ramping(this.store.now())) return;
    const ss = s.model.slowstart ?? 0;
    const timer = setInterval(() => this.tick(s), Math.max(MIN_STEP_MS, Math.floor(ss / STEPS)));
    timer.unref();
    this.timers.set(s, timer);
  }

  private tick(s: ServerState): void {
    const ramping = s.ramping(this.store.now()) && !s.deleted;
    if (!ramping) {
      clearInterval(this.timers.get(s));
      this.timers.delete(s);
    }
    // the last tick announces the full weight
    if (!s.deleted) this.store.changed(s);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
  }
}
