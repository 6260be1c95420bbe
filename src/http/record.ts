// What the pipeline reports about every finished HTTP request: the one hook that access logs,
// statistics and passive health checks consume. Timers follow HAProxy's log timers (ms, -1 when
// the phase was never reached); the termination state is HAProxy's two-letter code.
import type { Exchange } from './exchange';

export interface HttpRequestRecord {
  readonly frontend: string;
  /** null when the request never reached a backend (rejected, answered by the frontend) */
  readonly backend: string | null;
  /** null when no server was chosen */
  readonly server: string | null;
  /** the request; null when the front rejected the bytes before there was one (logged as <BADREQ>) */
  readonly ex: Exchange | null;
  /** set when ex is null: the client, as the front knows it */
  readonly rejected?: RejectedRequest;
  /** status sent to the client, 0 if none (client went away first, or silent close) */
  readonly status: number;
  /** status received from the server, 0 when there was no server response */
  readonly serverStatus: number;
  /** request body bytes received from the client */
  readonly bytesIn: number;
  /** response bytes (body) sent to the client */
  readonly bytesOut: number;
  /** wall clock (ms since epoch) when the request was received */
  readonly acceptDate: number;
  /** %TR: time to receive the request headers (0: the fronts only hand us complete heads) */
  readonly tR: number;
  /** %Tw: time spent waiting in queues (frontend maxconn, backend queue), -1 if never queued past */
  readonly tW: number;
  /** %Tc: time to establish the server connection, -1 if never connected */
  readonly tC: number;
  /** %Tr: time from connection to full response headers, -1 if none */
  readonly tr: number;
  /** %Ta: total active time of the request */
  readonly tA: number;
  /** retries performed (connection attempts beyond the first) */
  readonly retries: number;
  readonly redispatched: boolean;
  /** two letters: first event that ended the exchange, then the phase it was in ("--" = normal) */
  readonly termination: string;
  /** the upstream failure, when there was one */
  readonly upstreamError: string | null;
  /** the client's request turned out invalid after its head was taken (counted in ereq) */
  readonly clientError?: boolean;
  /** client connections of the frontend at the end of this request, this one included (%fc) */
  readonly feConn?: number;
  /** client connections of the whole process at that time (%ac) */
  readonly actConn?: number;
}

export interface HttpObserver {
  onHttpRequest(r: HttpRequestRecord): void;
}

/** What a front knows of a request it rejected before it became an Exchange. */
export interface RejectedRequest {
  readonly src: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** bytes the client had sent on the connection (0: nothing at all) */
  readonly bytesRead: number;
}

/** how a `<BADREQ>` ended: parse error, `timeout http-request`, client close/reset */
export type RejectTerm = 'PR' | 'cR' | 'CR';

/**
 * The record of a request a front answered itself because it could not parse it (HAProxy's
 * `<BADREQ>`: no backend, no server, every timer -1 but Ta): 400, 431 or 505 with termination
 * PR, 408 with cR when `timeout http-request` struck first, or 400 with CR when the client closed
 * or reset the connection before its request was complete. `status` is what was sent (an
 * errorfile may change it), 0 when the connection closed without an answer.
 */
export function rejectedRecord(
  frontend: string,
  status: number,
  termination: RejectTerm,
  client: RejectedRequest,
  acceptDate: number,
  tA: number,
): HttpRequestRecord {
  return {
    frontend,
    backend: null,
    server: null,
    ex: null,
    rejected: client,
    status,
    serverStatus: 0,
    bytesIn: 0,
    bytesOut: 0,
    acceptDate,
    tR: -1,
    tW: -1,
    tC: -1,
    tr: -1,
    tA,
    retries: 0,
    redispatched: false,
    termination,
    upstreamError: null,
  };
}
