// An UpstreamClient on undici, used only to compare it with sluice's own client inside the real
// pipeline (issue: "measure both in the real pipeline and choose"). Not shipped in src/.
import { PassThrough } from 'node:stream';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type {
  UpstreamCall,
  UpstreamClient,
  UpstreamHandler,
  UpstreamRequestHead,
  UpstreamTarget,
  UpstreamTimeouts,
} from '../../src/http/upstream';
import { UpstreamError } from '../../src/http/upstream';

class UndiciCall implements UpstreamCall, Dispatcher.DispatchHandler {
  connectedAt = -1;
  private controller: Dispatcher.DispatchController | null = null;
  private readonly body: PassThrough | null;
  private readonly handler: UpstreamHandler;
  private aborted = false;
  private headSeen = false;

  constructor(handler: UpstreamHandler, hasBody: boolean) {
    this.handler = handler;
    this.body = hasBody ? new PassThrough() : null;
  }

  get requestBody(): PassThrough | null {
    return this.body;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    this.connectedAt = performance.now();
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    reason?: string,
  ): void {
    if (this.aborted) return;
    this.headSeen = true;
    const flat: string[] = [];
    for (const [k, v] of Object.entries(headers)) {
      if (Array.isArray(v)) for (const x of v) flat.push(k, x);
      else if (v !== undefined) flat.push(k, v);
    }
    const cl = headers['content-length'];
    const length = typeof cl === 'string' ? Number(cl) : -1;
    this.handler.onHead({
      status,
      reason: reason ?? '',
      headers: flat,
      body: length >= 0 ? 'length' : 'chunked',
      contentLength: length,
      willClose: false,
    });
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.aborted) this.handler.onData(chunk);
  }

  onResponseEnd(): void {
    if (!this.aborted) this.handler.onEnd(null);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.aborted) return;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const kind =
      code === 'ECONNREFUSED'
        ? 'connect'
        : code.includes('TIMEOUT')
          ? 'timeout'
          : this.headSeen
            ? 'reset'
            : 'empty';
    this.handler.onError(new UpstreamError(kind, err.message, kind === 'connect'));
  }

  write(chunk: Buffer): boolean {
    return this.body === null ? true : this.body.write(chunk);
  }

  /** the request body stream keeps every chunk until undici consumes it */
  get holdsWrites(): boolean {
    return this.body !== null;
  }

  whenFlushed(cb: () => void): void {
    if (this.body === null || this.body.writableLength === 0) cb();
    else this.body.write(Buffer.alloc(0), cb);
  }

  end(): void {
    this.body?.end();
  }

  onDrain(cb: () => void): void {
    this.body?.once('drain', cb);
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort(new Error('aborted'));
  }
}

export class UndiciClient implements UpstreamClient {
  private readonly pools = new Map<string, Pool>();

  request(
    target: UpstreamTarget,
    timeouts: UpstreamTimeouts,
    head: UpstreamRequestHead,
    handler: UpstreamHandler,
  ): UpstreamCall {
    let pool = this.pools.get(target.key);
    if (pool === undefined) {
      pool = new Pool(`http://${target.host}:${target.port}`, {
        connections: 256,
        pipelining: 1,
        connectTimeout: timeouts.connect ?? undefined,
        headersTimeout: timeouts.server ?? 0,
        bodyTimeout: timeouts.server ?? 0,
      });
      this.pools.set(target.key, pool);
    }
    const call = new UndiciCall(handler, head.body !== 'none');
    const headers: string[] = [];
    for (let i = 0; i < head.headers.length; i += 2) {
      const name = head.headers[i] as string;
      // undici frames the body itself
      if (name !== 'transfer-encoding' && name !== 'connection')
        headers.push(name, head.headers[i + 1] as string);
    }
    pool.dispatch(
      {
        origin: `http://${target.host}:${target.port}`,
        method: head.method as Dispatcher.HttpMethod,
        path: head.target,
        headers,
        body: call.requestBody,
      },
      call,
    );
    return call;
  }

  close(): void {
    for (const p of this.pools.values()) void p.close();
    this.pools.clear();
  }
}
