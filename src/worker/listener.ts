// What a worker holds for every bind line: the HTTP fronts and the TCP proxy implement it.

export interface Listener {
  readonly proxy: string;
  readonly address: string;
  /** the port actually bound (useful with port 0 in tests) */
  readonly port: number;
  /** stop accepting new connections; established ones continue */
  stopAccepting(): void;
  /**
   * Resolves once every connection is gone: idle keep-alive connections are closed at once,
   * busy ones after their in-flight request/response completes.
   */
  drain(): Promise<void>;
  /** destroy every connection now */
  close(): void;
}
