// The primary's side of statistics: asks every live worker for a snapshot and waits for all the
// answers (exact sums, on demand), broadcasts counter resets and runtime ops, and renders the
// stats page / exporter for workers that serve them. Runtime ops are remembered and replayed to
// respawned workers, so a change made through the API survives a worker crash.
import type { Worker } from 'node:cluster';
import type { FromWorker, RuntimeOp, ServiceReply, ServiceRequest, ToWorker } from '../ipc';
import type { WorkerSnapshot } from '../stats';

/** A worker that has not answered by then is left out of the sums (it is probably restarting). */
export const COLLECT_TIMEOUT_MS = 2_000;

export type Renderer = (req: ServiceRequest) => Promise<ServiceReply>;

interface Pending {
  readonly replies: Map<number, WorkerSnapshot>;
  readonly expected: Set<number>;
  readonly done: () => void;
}

export class StatsHub {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** last op per target, replayed to every worker that (re)starts listening */
  private readonly ops = new Map<string, RuntimeOp>();
  renderer: Renderer | null = null;

  constructor(
    private readonly workers: () => readonly Worker[],
    private readonly generation: number,
  ) {}

  collect(timeoutMs = COLLECT_TIMEOUT_MS): Promise<WorkerSnapshot[]> {
    const ws = this.workers().filter((w) => w.isConnected());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const replies = new Map<number, WorkerSnapshot>();
      const expected = new Set(ws.map((w) => w.id));
      const finish = (): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve([...replies.values()].sort((a, b) => a.slot - b.slot));
      };
      const timer = setTimeout(finish, timeoutMs);
      this.pending.set(id, { replies, expected, done: finish });
      if (expected.size === 0) return finish();
      const msg: ToWorker = { type: 'stats-request', generation: this.generation, id };
      for (const w of ws) sendSafe(w, msg, () => this.noAnswer(id, w.id));
    });
  }

  clear(all: boolean): void {
    this.broadcast({ type: 'stats-clear', generation: this.generation, all });
  }

  runtimeOp(op: RuntimeOp): void {
    this.ops.set(opKey(op), op);
    this.broadcast({ type: 'runtime-op', generation: this.generation, op });
  }

  /** a (re)started worker gets every runtime op made so far */
  replay(send: (msg: ToWorker) => void): void {
    for (const op of this.ops.values()) {
      if (op.kind !== 'shutdown-sessions') send({ type: 'runtime-op', generation: this.generation, op });
    }
  }

  /** true when the message was ours */
  onMessage(worker: Worker, m: FromWorker): boolean {
    if (m.type === 'stats-reply') {
      const p = this.pending.get(m.id);
      if (p === undefined || !p.expected.has(worker.id)) return true;
      p.replies.set(worker.id, m.snapshot);
      p.expected.delete(worker.id);
      if (p.expected.size === 0) p.done();
      return true;
    }
    if (m.type === 'stats-render') {
      const render = this.renderer;
      const answer = (reply: ServiceReply): void =>
        sendSafe(
          worker,
          { type: 'stats-answer', generation: this.generation, id: m.id, reply },
          () => undefined,
        );
      if (render === null) {
        answer({ status: 503, headers: ['content-type', 'text/plain'], body: 'statistics unavailable\n' });
        return true;
      }
      render(m.request).then(answer, (err: unknown) =>
        answer({
          status: 500,
          headers: ['content-type', 'text/plain'],
          body: `internal error: ${err instanceof Error ? err.message : String(err)}\n`,
        }),
      );
      return true;
    }
    return false;
  }

  private noAnswer(id: number, workerId: number): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    p.expected.delete(workerId);
    if (p.expected.size === 0) p.done();
  }

  private broadcast(msg: ToWorker): void {
    for (const w of this.workers()) if (w.isConnected()) sendSafe(w, msg, () => undefined);
  }
}

function opKey(op: RuntimeOp): string {
  switch (op.kind) {
    case 'maxconn-server':
    case 'shutdown-sessions':
      return `${op.kind} ${op.backend}/${op.server}`;
    case 'maxconn-frontend':
      return `${op.kind} ${op.frontend}`;
    case 'maxconn-global':
      return op.kind;
  }
}

/** A worker may die between the check and the send: that is a missing answer, not a crash. */
function sendSafe(w: Worker, msg: ToWorker, failed: () => void): void {
  try {
    w.send(msg, undefined, (err: Error | null) => {
      if (err !== null) failed();
    });
  } catch {
    failed();
  }
}
