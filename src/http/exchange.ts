// An Exchange is what the pipeline knows about one HTTP request: copied out of the front (uWS
// request objects die when their callback returns), so the same pipeline serves every front and
// unit tests without sockets. Headers are a flat [name, value, name, value, ...] array with
// lower-case names, in arrival order: cheap to build, to scan and to serialize.

export type HttpVersion = '1.0' | '1.1';

/** A response sluice produces itself (deny, return, redirect, errors). */
export interface LocalReply {
  readonly status: number;
  /** flat [name, value, ...] with lower-case names; content-length is added by the sender */
  readonly headers: readonly string[];
  readonly body: string | Buffer;
  /** true to close the client connection after the reply */
  readonly close?: boolean;
}

export class Exchange {
  /** method as received (case-sensitive, e.g. "GET") */
  method: string;
  /** request target as received: origin-form path + optional "?query" */
  url: string;
  version: HttpVersion;
  /** flat [lower-case name, value, ...] */
  headers: string[];
  /** client address (IPv4 as dotted quad, IPv6 without brackets, IPv4-mapped IPv6 unmapped) */
  src: string;
  srcPort: number;
  /** local port the request arrived on */
  dstPort: number;
  /** frontend name */
  frontend: string;
  /** true when the client connection is TLS */
  tls: boolean;

  constructor(
    method: string,
    url: string,
    version: HttpVersion,
    headers: string[],
    src: string,
    srcPort: number,
    dstPort: number,
    frontend: string,
    tls: boolean,
  ) {
    this.method = method;
    this.url = url;
    this.version = version;
    this.headers = headers;
    this.src = src;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.frontend = frontend;
    this.tls = tls;
  }

  /** URL path without the query string */
  get path(): string {
    const q = this.url.indexOf('?');
    return q < 0 ? this.url : this.url.slice(0, q);
  }

  /** query string without the '?', or '' */
  get query(): string {
    const q = this.url.indexOf('?');
    return q < 0 ? '' : this.url.slice(q + 1);
  }

  /** last value of a header (lower-case name), or undefined */
  header(name: string): string | undefined {
    const h = this.headers;
    for (let i = h.length - 2; i >= 0; i -= 2) if (h[i] === name) return h[i + 1];
    return undefined;
  }
}
