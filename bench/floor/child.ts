// The floor: the least a uWS-fronted Node proxy can do per request — uWS parses the request, one
// keep-alive net.Socket per in-flight request carries it upstream, the response is cut on its
// Content-Length and written back in one corked call. No checks, rules, timeouts, retries, logs,
// stats or strict parsing: it is not a proxy anyone should run, it is the cost of the architecture
// itself, so that sluice's own overhead can be told apart from what Node, uWS and the kernel take.
// Prints {"port"} when listening. Usage: node dist/bench/floor/child.js <upstream port>
import net from 'node:net';
import { loadUws } from '../../src/http/fronts/uws-loader';
import type { UwsHttpRequest, UwsHttpResponse } from '../../src/http/fronts/uws-types';

const upstreamPort = Number(process.argv[2]);
const idle: Upstream[] = [];

interface Pending {
  res: UwsHttpResponse;
  aborted: boolean;
}

class Upstream {
  private readonly socket = net.connect(upstreamPort, '127.0.0.1');
  current: Pending | null = null;

  constructor() {
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', () => undefined);
  }

  send(p: Pending, head: string): void {
    this.current = p;
    this.socket.write(head, 'latin1');
  }

  // assumes the whole response arrives in one read (small bodies on loopback)
  private onData(d: Buffer): void {
    const p = this.current;
    if (p === null) return;
    const text = d.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const lines = text.slice(0, end).split('\r\n');
    const headers: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i] as string;
      const c = l.indexOf(':');
      const k = l.slice(0, c).toLowerCase();
      if (k !== 'content-length' && k !== 'connection' && k !== 'date')
        headers.push(k, l.slice(c + 1).trim());
    }
    this.current = null;
    idle.push(this);
    if (p.aborted) return;
    const body = d.subarray(end + 4);
    p.res.cork(() => {
      p.res.writeStatus((lines[0] as string).slice(9));
      for (let i = 0; i < headers.length; i += 2)
        p.res.writeHeader(headers[i] as string, headers[i + 1] as string);
      p.res.end(body);
    });
  }
}

const { uws } = loadUws();
uws
  .App()
  .any('/*', (res: UwsHttpResponse, req: UwsHttpRequest) => {
    const p: Pending = { res, aborted: false };
    res.onAborted(() => (p.aborted = true));
    let head = `${req.getCaseSensitiveMethod()} ${req.getUrl()} HTTP/1.1\r\n`;
    req.forEach((k, v) => (head += `${k}: ${v}\r\n`));
    head += `x-forwarded-for: ${Buffer.from(res.getRemoteAddressAsText()).toString('latin1')}\r\n\r\n`;
    (idle.pop() ?? new Upstream()).send(p, head);
  })
  .listen('127.0.0.1', 0, (ls) => {
    if (ls === false) process.exit(1);
    process.stdout.write(JSON.stringify({ port: uws.us_socket_local_port(ls) }) + '\n');
  });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
