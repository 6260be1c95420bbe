// Worker side of passive health (`observe`): turns each finished request to an observed server
// into one outcome and ships them to the primary in batches. Runs of successes for a server are
// collapsed (the primary only needs "the error streak ended"), so busy traffic costs little IPC.
import type { BackendRuntime } from '../backend';
import type { HttpObserver, HttpRequestRecord } from '../http/record';
import type { TcpObserver, TcpSessionRecord } from '../tcp/record';
import type { ObserveEvent } from '../ipc';
import { goodStatus } from './passive';

/** upstream failures that mean the server could not be reached at all (layer 4) */
const CONNECT_ERRORS: ReadonlySet<string> = new Set(['connect', 'connect-timeout']);

/** HAProxy's analyze_statuses[] text for each way a live exchange can fail */
const L4_ERROR = 'L4 unsuccessful connection';
const HTTP_STATUS_ERROR = 'Wrong http response';
const HTTP_ERRORS: Readonly<Record<string, string>> = {
  timeout: 'Read timeout (http)',
  empty: 'Close from server (http)',
  reset: 'Read error (http)',
  protocol: 'Invalid http response',
};

/** bounds one batch if the event loop is slow to come back */
const MAX_BATCH = 1024;

export class ObserveReporter implements HttpObserver, TcpObserver {
  private batch: ObserveEvent[] = [];
  private scheduled = false;

  constructor(
    private readonly backends: ReadonlyMap<string, BackendRuntime>,
    private readonly send: (events: readonly ObserveEvent[]) => void,
  ) {}

  onHttpRequest(r: HttpRequestRecord): void {
    if (r.backend === null || r.server === null) return;
    const be = this.backends.get(r.backend);
    const srv = be?.servers.find((s) => s.name === r.server && !s.removed);
    const mode = srv?.model.observe ?? null;
    if (mode === null) return;
    const e = outcome(r.backend, r.server, mode, r);
    if (e !== null) this.push(e);
  }

  /** mode tcp: only layer 4 can be observed — could the server be connected to? */
  onTcpSession(r: TcpSessionRecord): void {
    if (r.server === null) return;
    const srv = this.backends.get(r.backend)?.servers.find((s) => s.name === r.server && !s.removed);
    if ((srv?.model.observe ?? null) === null) return;
    if (r.tC >= 0) this.push({ backend: r.backend, server: r.server, layer: 4, ok: true, status: 0 });
    else if (r.termination === 'SC' || r.termination === 'sC') {
      this.push({ backend: r.backend, server: r.server, layer: 4, ok: false, status: 0, reason: L4_ERROR });
    }
  }

  private push(e: ObserveEvent): void {
    const last = this.batch[this.batch.length - 1];
    if (e.ok && last?.ok === true && last.backend === e.backend && last.server === e.server) return;
    this.batch.push(e);
    if (this.batch.length >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const events = this.batch;
    this.batch = [];
    this.send(events);
  }
}

export function outcome(
  backend: string,
  server: string,
  mode: 'layer4' | 'layer7',
  r: HttpRequestRecord,
): ObserveEvent | null {
  const err = r.upstreamError;
  if (err !== null && CONNECT_ERRORS.has(err)) {
    return { backend, server, layer: 4, ok: false, status: 0, reason: L4_ERROR };
  }
  if (mode === 'layer4') return r.tC >= 0 ? { backend, server, layer: 4, ok: true, status: 0 } : null;
  if (r.serverStatus > 0) {
    const status = r.serverStatus;
    if (goodStatus(status)) return { backend, server, layer: 7, ok: true, status };
    return { backend, server, layer: 7, ok: false, status, reason: HTTP_STATUS_ERROR };
  }
  // reset, empty or invalid response, response timeout: the server failed at layer 7
  if (err !== null) {
    return {
      backend,
      server,
      layer: 7,
      ok: false,
      status: 0,
      reason: HTTP_ERRORS[err] ?? 'Read error (http)',
    };
  }
  return null;
}
