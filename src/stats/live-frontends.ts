// The frontends of one worker as the runtime API and the counters see them: `set maxconn
// frontend|global` reaches them here (global also the worker's connection gate), and the
// collector reads their current and peak sessions (scur/smax). HTTP and TCP frontends both
// register themselves when they start.
import type { RuntimeLimits } from './worker-agent';
import type { ConnGate } from '../worker/conn-gate';

export interface LiveFrontend {
  readonly name: string;
  /** the frontend's own `maxconn`; 0 = it follows the global one */
  readonly configuredMaxconn: number;
  /** the limit it started with (its own maxconn, else the global one) */
  readonly initialMaxconn: number;
  /** sessions in progress (HTTP: requests being processed) */
  readonly active: number;
  /** highest `active` since start or the last `clear counters` */
  readonly peak: number;
  resetPeak(): void;
  /** a lowered limit lets running sessions finish; a raised one admits waiting ones now */
  setMaxconn(n: number): void;
}

export class LiveFrontends implements RuntimeLimits {
  private readonly list: LiveFrontend[] = [];
  /** `set maxconn frontend` values; 0 = back to the configured limit */
  private readonly overrides = new Map<string, number>();
  /** `set maxconn global`, null until used */
  private global: number | null = null;
  /** the worker's connection limit, which `set maxconn global` changes too */
  gate: ConnGate | null = null;

  add(fe: LiveFrontend): void {
    this.list.push(fe);
    if (this.overrides.has(fe.name) || this.global !== null) fe.setMaxconn(this.effective(fe));
  }

  all(): readonly LiveFrontend[] {
    return this.list;
  }

  setFrontendMaxconn(frontend: string, value: number): boolean {
    this.overrides.set(frontend, value);
    let found = false;
    for (const fe of this.list) {
      if (fe.name !== frontend) continue;
      found = true;
      fe.setMaxconn(this.effective(fe));
    }
    return found;
  }

  setGlobalMaxconn(value: number): void {
    this.global = value;
    this.gate?.setLimit(value);
    for (const fe of this.list) fe.setMaxconn(this.effective(fe));
  }

  private effective(fe: LiveFrontend): number {
    const o = this.overrides.get(fe.name) ?? 0;
    if (o > 0) return o;
    if (fe.configuredMaxconn > 0) return fe.configuredMaxconn;
    return this.global ?? fe.initialMaxconn;
  }
}
