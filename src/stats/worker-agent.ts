// The worker's side of statistics and runtime operations: answers the primary's snapshot requests,
// clears counters, applies runtime ops (maxconn, session kills), and asks the primary to render
// the stats page and the Prometheus exporter, which need every worker's counters.
import type { BackendRuntime } from '../backend';
import type { FromWorker, RuntimeOp, ServiceReply, ServiceRequest, ToWorker } from '../ipc';
import type { Logger } from '../log';
import { StatsCollector } from './collector';
import { LiveFrontends } from './live-frontends';

/** A render the primary did not answer in time (it is restarting, or overloaded). */
export const RENDER_TIMEOUT_MS = 5_000;

const UNAVAILABLE: ServiceReply = {
  status: 503,
  headers: ['content-type', 'text/plain'],
  body: 'statistics are unavailable right now\n',
};

export type SendToPrimary = (msg: FromWorker) => void;

/** Live values the runtime API may change in this worker (frontend/global maxconn). */
export interface RuntimeLimits {
  setFrontendMaxconn(frontend: string, value: number): boolean;
  setGlobalMaxconn(value: number): void;
}

export class WorkerStatsAgent {
  readonly collector: StatsCollector;
  /** this worker's frontends register here: maxconn changes and scur/smax go through it */
  readonly frontends = new LiveFrontends();
  private nextId = 1;
  private readonly pending = new Map<number, (r: ServiceReply) => void>();

  constructor(
    private readonly backends: ReadonlyMap<string, BackendRuntime>,
    private readonly generation: number,
    private readonly send: SendToPrimary,
    private readonly log: Logger,
    slot: number,
  ) {
    this.collector = new StatsCollector(backends, slot, this.frontends);
  }

  /** true when the message was for statistics or the runtime API */
  onMessage(m: ToWorker): boolean {
    switch (m.type) {
      case 'stats-request':
        this.send({
          type: 'stats-reply',
          generation: this.generation,
          id: m.id,
          snapshot: this.collector.snapshot(),
        });
        return true;
      case 'stats-clear':
        this.collector.clear(m.all);
        return true;
      case 'stats-answer': {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.reply);
        return true;
      }
      case 'runtime-op':
        this.apply(m.op);
        return true;
      default:
        return false;
    }
  }

  /** the primary renders the page from every worker's counters */
  render(request: ServiceRequest): Promise<ServiceReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(UNAVAILABLE);
      }, RENDER_TIMEOUT_MS);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.send({ type: 'stats-render', generation: this.generation, id, request });
    });
  }

  private apply(op: RuntimeOp): void {
    switch (op.kind) {
      case 'maxconn-server': {
        const s = this.backends.get(op.backend)?.servers.find((x) => x.name === op.server);
        if (s === undefined) return;
        s.maxconn = op.value;
        // a raised limit lets queued requests in now
        this.backends.get(op.backend)?.serversChanged();
        return;
      }
      case 'maxconn-frontend':
        this.frontends.setFrontendMaxconn(op.frontend, op.value);
        return;
      case 'maxconn-global':
        this.frontends.setGlobalMaxconn(op.value);
        return;
      case 'shutdown-sessions':
        {
          const srv = this.backends.get(op.backend)?.servers.find((x) => x.name === op.server && !x.removed);
          const killed = srv === undefined ? 0 : srv.killSessions('K');
          this.log.info({ backend: op.backend, server: op.server, killed }, 'shutdown sessions server');
        }
        return;
    }
  }
}
