// Which inactivity timeout applies to each side of a TCP session, per HAProxy: the client side is
// governed by the frontend, the server side and the tunnel by the backend. Resolved once per
// (frontend, backend) pair so a session never looks at the Model.
import type { Timeouts } from '../config/model';

/** Milliseconds; 0 disables (net.Socket.setTimeout semantics), which is HAProxy's "not set". */
export interface TcpTimeouts {
  /** client side before the server connection is up (queue, connect, retries) */
  readonly clientWait: number;
  /** client side once connected: `timeout tunnel` when set, else `timeout client` */
  readonly client: number;
  /** server side once connected: `timeout tunnel` when set, else `timeout server` */
  readonly server: number;
  /** client side once it is half-closed: `timeout client-fin`, else the connected value */
  readonly clientFin: number;
  /** server side once it is half-closed: `timeout server-fin`, else the connected value */
  readonly serverFin: number;
  /** `timeout connect` per attempt */
  readonly connect: number;
  /** pause before retrying the same server: min(timeout connect, 1 s), as HAProxy's turn-around */
  readonly turnAround: number;
}

const TURN_AROUND_MAX_MS = 1000;

export function resolveTcpTimeouts(fe: Timeouts, be: Timeouts): TcpTimeouts {
  const client = be.tunnel ?? fe.client ?? 0;
  const server = be.tunnel ?? be.server ?? 0;
  const connect = be.connect ?? 0;
  return {
    clientWait: fe.client ?? 0,
    client,
    server,
    clientFin: fe.clientFin ?? client,
    serverFin: be.serverFin ?? server,
    connect,
    turnAround: connect > 0 ? Math.min(connect, TURN_AROUND_MAX_MS) : TURN_AROUND_MAX_MS,
  };
}
