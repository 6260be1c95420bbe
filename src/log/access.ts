// Access logs, written by each worker directly (no IPC per request): one logger per frontend
// with log targets, fed by the HTTP pipeline (HttpObserver) and the TCP listeners (TcpObserver).
// The line is formatted once per request, then framed for each target.
import type { FrontendModel, Model } from '../config/model';
import type { BackendRuntime, ServerRuntime } from '../backend';
import type { HttpObserver, HttpRequestRecord } from '../http/record';
import type { TcpObserver, TcpSessionRecord } from '../tcp/record';
import { LogEntry, fillHttp, fillTcp, type LiveState } from './entry';
import { compileAccessLogFormat, type LogLine } from './format';
import { httpJson, tcpJson } from './json';
import { SinkRegistry, type LineSink } from './sinks';
import { accessSeverity, framer, type Framer } from './syslog';
import type { Logger } from './index';

interface Output {
  readonly frame: Framer;
  readonly sink: LineSink;
}

class FrontendLog {
  private readonly entry = new LogEntry();
  private readonly line: LogLine;
  private readonly outputs: readonly Output[];
  private readonly dontLogNull: boolean;

  constructor(fe: FrontendModel, sinks: SinkRegistry) {
    const fmt = fe.logFormat ?? null;
    this.line = fmt !== null ? compileAccessLogFormat(fmt) : fe.mode === 'http' ? httpJson : tcpJson;
    const outputs: Output[] = [];
    for (const t of fe.logs) {
      const sev = accessSeverity(t);
      if (sev !== null) outputs.push({ frame: framer(t, sev, fmt === null), sink: sinks.open(t) });
    }
    this.outputs = outputs;
    this.dontLogNull = fe.dontLogNull ?? false;
  }

  get active(): boolean {
    return this.outputs.length > 0;
  }

  http(r: HttpRequestRecord, live: LiveState): void {
    // dontlognull: a connection that timed out without sending a byte (a pre-connect, a probe)
    if (this.dontLogNull && r.rejected?.bytesRead === 0) return;
    fillHttp(this.entry, r, live);
    this.emit();
  }

  tcp(r: TcpSessionRecord, live: LiveState): void {
    // dontlognull: a connection that never sent a byte (a port scan, a health probe) is not logged
    if (this.dontLogNull && r.bytesIn === 0) return;
    fillTcp(this.entry, r, live);
    this.emit();
  }

  private emit(): void {
    const e = this.entry;
    const msg = this.line(e);
    e.ex = null;
    const now = Date.now();
    for (let i = 0; i < this.outputs.length; i++) {
      const o = this.outputs[i] as Output;
      o.sink.write(o.frame(msg, now));
    }
  }
}

export class AccessLogs implements HttpObserver, TcpObserver, LiveState {
  private readonly frontends = new Map<string, FrontendLog>();
  private readonly servers = new Map<string, Map<string, ServerRuntime>>();
  private readonly sinks: SinkRegistry;

  constructor(
    model: Model,
    private readonly backends: ReadonlyMap<string, BackendRuntime>,
    log: Logger,
  ) {
    this.sinks = new SinkRegistry(log);
    for (const fe of model.frontends) {
      if (fe.logs.length === 0) continue;
      const fl = new FrontendLog(fe, this.sinks);
      if (fl.active) this.frontends.set(fe.name, fl);
    }
    for (const [name, be] of backends) this.servers.set(name, new Map(be.servers.map((s) => [s.name, s])));
  }

  /** true when at least one frontend logs somewhere */
  get enabled(): boolean {
    return this.frontends.size > 0;
  }

  onHttpRequest(r: HttpRequestRecord): void {
    this.frontends.get(r.frontend)?.http(r, this);
  }

  onTcpSession(r: TcpSessionRecord): void {
    this.frontends.get(r.frontend)?.tcp(r, this);
  }

  backend(name: string): BackendRuntime | undefined {
    return this.backends.get(name);
  }

  server(backend: string, name: string): ServerRuntime | undefined {
    return this.servers.get(backend)?.get(name);
  }

  /** hands buffered lines to the OS; call before the worker exits */
  flush(timeoutMs = 2000): Promise<void> {
    return this.sinks.flush(timeoutMs);
  }

  close(): void {
    this.sinks.close();
  }
}
