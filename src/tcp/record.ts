// What a finished TCP session reports to its observers (access logs), in HAProxy's terms: the
// timers Tw/Tc/Tt (ms, -1 when the phase was never reached) and the two-letter termination state.
// The session fills a TcpSessionStats as it goes; the listener turns it into a record at the end.

export interface TcpSessionRecord {
  readonly frontend: string;
  readonly backend: string;
  /** null when no server was ever assigned */
  readonly server: string | null;
  readonly src: string;
  readonly srcPort: number;
  /** local port the connection arrived on */
  readonly dstPort: number;
  /** bytes client → server */
  readonly bytesIn: number;
  /** bytes server → client */
  readonly bytesOut: number;
  /** wall clock (ms since epoch) when the connection was accepted */
  readonly acceptDate: number;
  readonly tW: number;
  readonly tC: number;
  readonly tT: number;
  readonly retries: number;
  readonly redispatched: boolean;
  readonly termination: string;
  /** sessions of the frontend in progress, this one included (%fc) */
  readonly feConn: number;
}

export interface TcpObserver {
  onTcpSession(r: TcpSessionRecord): void;
}

/** phase letters of HAProxy's termination state that a TCP session goes through */
export type TcpPhase = 'Q' | 'C' | 'D';

export class TcpSessionStats {
  readonly acceptDate = Date.now();
  private readonly t0 = performance.now();
  private tAcquired = -1;
  private tConnected = -1;
  bytesIn = 0;
  bytesOut = 0;
  retries = 0;
  redispatched = false;
  server: string | null = null;
  /** set by the listener, which knows the peer and the route */
  backend = '';
  src = '';
  srcPort = 0;
  dstPort = 0;
  phase: TcpPhase = 'Q';
  /** '--' until something other than a clean close ends the session */
  term = '--';

  acquired(server: string): void {
    if (this.tAcquired < 0) this.tAcquired = performance.now();
    this.server = server;
    this.phase = 'C';
  }

  connected(): void {
    this.tConnected = performance.now();
    this.phase = 'D';
  }

  /** the first abnormal event wins: `who` is C/S (abort), c/s (timeout), K (killed) */
  ended(who: string, phase: TcpPhase = this.phase): void {
    if (this.term === '--') this.term = who + phase;
  }

  record(frontend: string, feConn: number): TcpSessionRecord {
    const end = performance.now();
    const tAcq = this.tAcquired;
    return {
      frontend,
      backend: this.backend,
      server: this.server,
      src: this.src,
      srcPort: this.srcPort,
      dstPort: this.dstPort,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      acceptDate: this.acceptDate,
      tW: tAcq >= 0 ? Math.round(tAcq - this.t0) : -1,
      tC: this.tConnected >= 0 ? Math.max(0, Math.round(this.tConnected - tAcq)) : -1,
      tT: Math.round(end - this.t0),
      retries: this.retries,
      redispatched: this.redispatched,
      termination: this.term,
      feConn,
    };
  }
}
