// Contract between the HTTP pipeline and the upstream client (pooled keep-alive HTTP/1.1
// connections to servers, strict RFC 9112 response parsing).

export type BodyKind = 'none' | 'length' | 'chunked' | 'close';

export interface UpstreamRequestHead {
  readonly method: string;
  /** origin-form target */
  readonly target: string;
  /** flat [lower-case name, value, ...], already rewritten (hop-by-hop removed, XFF added) */
  readonly headers: readonly string[];
  /** 'none' (no body), 'length' (content-length in headers), 'chunked' (client sent chunked) */
  readonly body: 'none' | 'length' | 'chunked';
  /** true to ask the server to close after this response (option httpclose / server-close semantics) */
  readonly close: boolean;
}

export type UpstreamErrorKind =
  | 'connect' // could not connect (refused, unreachable, timeout connect): safe to retry
  | 'connect-timeout'
  | 'timeout' // timeout server while waiting for / reading the response
  | 'empty' // server closed before sending any response byte
  | 'reset' // connection reset / closed mid-response
  | 'protocol'; // invalid or conflicting response framing

export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  /** true when no byte of the request reached the server (retry is safe for any method) */
  readonly requestUnsent: boolean;
  constructor(kind: UpstreamErrorKind, message: string, requestUnsent: boolean) {
    super(message);
    this.kind = kind;
    this.requestUnsent = requestUnsent;
  }
}

export interface UpstreamResponseHead {
  readonly status: number;
  readonly reason: string;
  /** flat [lower-case name, value, ...] exactly as received (minus nothing) */
  readonly headers: string[];
  readonly body: BodyKind;
  /** for body 'length' */
  readonly contentLength: number;
  /** HTTP/1.0 server or Connection: close */
  readonly willClose: boolean;
}

/** Callbacks the pipeline gives for one exchange. Called at most once each for head/end/error. */
export interface UpstreamHandler {
  /** an interim 1xx (100 Continue, 103 Early Hints); final head comes later */
  onInterim?(status: number, reason: string, headers: string[]): void;
  onHead(head: UpstreamResponseHead): void;
  /** a body chunk (de-chunked); return false to ask for a pause (call resume() to continue).
   *  The bytes are only valid during the call (reads share one buffer): copy what is kept. */
  onData(chunk: Buffer): boolean;
  /** response complete; trailers (flat) if the chunked body had any */
  onEnd(trailers: string[] | null): void;
  /** failure before onEnd; after onHead it means the body is truncated */
  onError(err: UpstreamError): void;
}

/** Handle on an in-flight upstream exchange. */
export interface UpstreamCall {
  /** performance.now() when the connection serving this call was established (at once for a
   *  reused keep-alive connection), or -1 before that: the pipeline's Tc timer */
  readonly connectedAt: number;
  /** write a request body chunk; false = apply backpressure and wait for onDrain */
  write(chunk: Buffer): boolean;
  /** the socket still holds body bytes given to write(): their memory must stay untouched */
  readonly holdsWrites: boolean;
  /** `cb` runs once the socket no longer holds any body bytes given to write() so far */
  whenFlushed(cb: () => void): void;
  /** end of request body (sends the last-chunk for chunked bodies) */
  end(): void;
  /** called once when write() returned false and the socket drained */
  onDrain(cb: () => void): void;
  /** stop reading the response (client is slow) */
  pause(): void;
  resume(): void;
  /** tear down: destroys the connection, no more callbacks */
  abort(): void;
}

/** Anything that can carry exchanges to servers: the built-in pool, or a bench-only alternative. */
export interface UpstreamClient {
  request(
    target: UpstreamTarget,
    timeouts: UpstreamTimeouts,
    head: UpstreamRequestHead,
    handler: UpstreamHandler,
  ): UpstreamCall;
  close(): void;
}

export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  /** key of the per-server pool, e.g. "backend/server" */
  readonly key: string;
}

export interface UpstreamTimeouts {
  readonly connect: number | null;
  readonly server: number | null;
}
